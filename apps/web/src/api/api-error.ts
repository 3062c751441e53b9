/** RFC 9457 problem details, carried as an Error whose message is the server's `detail`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: Array<{ path: string; message: string }>; reasons?: Array<{ rule: string; message: string; path?: string }> },
  ) {
    super(problem.detail ?? problem.title ?? `The server answered ${status}`);
  }
}

/** The ApiError of a refused call, from the body openapi-fetch read: a problem object, or text. */
export const apiErrorOf = (status: number, body: unknown): ApiError =>
  new ApiError(status, body && typeof body === 'object' ? (body as ApiError['problem']) : { detail: typeof body === 'string' && body ? body : undefined });
