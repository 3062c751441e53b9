import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, apiErrorOf } from './api-error';
import type { paths } from './schema';

export { ApiError, apiErrorOf };

const TOKEN_KEY = 'clearance.token';

/** The bearer token lives in sessionStorage: it is gone when the browser session ends. */
export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

const auth: Middleware = {
  onRequest({ request }) {
    const token = tokenStore.get();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
};

/**
 * The one typed client: every call names a path of the generated OpenAPI schema. Its data is the
 * JSON media type (a list's `text/csv` alternative is read with `parseAs: 'blob'`).
 */
export const api = createClient<paths, `${string}/json`>({ baseUrl: window.location.origin });
api.use(auth);

/** Awaits an openapi-fetch call: its data, or an ApiError with the problem's detail. */
export const read = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, { detail: 'The server could not be reached. Check your connection and try again.' });
  }
  if (!result.response.ok) throw apiErrorOf(result.response.status, result.error);
  return result.data as T;
};

/** Every event a person fires, each with its own body (`{type, ...payload}`), from the schema. */
export type EventBody = paths['/v1/cases/{id}/events']['post']['requestBody']['content']['application/json'];
export type EventType = EventBody['type'];
/** The payload of `T` (distributes over a union of event types). */
export type EventPayload<T extends EventType> = T extends EventType ? Omit<Extract<EventBody, { type: T }>, 'type'> : never;

/** Fires `type` with its payload; the server checks it again (400 lists every problem). */
export const fireEvent = <T extends EventType>(caseId: string, type: T, payload: EventPayload<T>) => {
  // The signature pairs the type with its payload; the compiler cannot follow a generic spread back to the union member.
  const body = { ...payload, type } as unknown as EventBody;
  return read(api.POST('/v1/cases/{id}/events', { params: { path: { id: caseId } }, body }));
};
