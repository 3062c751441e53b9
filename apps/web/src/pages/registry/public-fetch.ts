import { ApiError } from '../../api/client';

/**
 * A public registry route read with plain fetch: the text routes (checkpoint, verifier key) and the
 * derived ones (attestation, lineage) whose 404 means "there is none" rather than an error.
 */
export async function publicGet(path: string, as: 'json', signal: AbortSignal): Promise<unknown>;
export async function publicGet(path: string, as: 'text', signal: AbortSignal): Promise<string>;
export async function publicGet(path: string, as: 'json' | 'text', signal: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: as === 'json' ? 'application/json' : 'text/plain' } });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ApiError(0, { detail: 'The server could not be reached. Check your connection and try again.' });
  }
  if (!response.ok) {
    const problem = /json/.test(response.headers.get('content-type') ?? '') ? ((await response.json()) as ApiError['problem']) : { detail: await response.text() };
    throw new ApiError(response.status, problem);
  }
  return as === 'json' ? response.json() : response.text();
}

/** The body, or null when the route answers 404 (no attestation, no lineage). */
export const publicGetOrNone = (path: string, signal: AbortSignal): Promise<unknown> =>
  publicGet(path, 'json', signal).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });
