/** A field-level problem, named by JSONPath (`$.components[0].release`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * A refusal the domain raises; one exception filter renders it as RFC 9457
 * problem+json with `type: /problems/<slug>`. Extensions become extra members;
 * headers (a challenge, Allow, Retry-After) are sent with it.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string | string[]> = {},
  ) {
    super(detail);
  }
}

/** RFC 6750 challenge: `invalid_token` when a token was sent but is not valid. */
export const bearerChallenge = (invalidToken = false) =>
  invalidToken ? 'Bearer realm="clearance", error="invalid_token"' : 'Bearer realm="clearance"';

export const unauthenticated = (detail = 'a valid bearer token is required', { invalidToken = false, challenges = [] as string[] } = {}) =>
  new ProblemError(401, 'unauthenticated', 'Unauthenticated', detail, {}, { 'WWW-Authenticate': [...challenges, bearerChallenge(invalidToken)] });

/** Too many wrong tokens from one address: the caller may try again after `retryAfterSeconds`. */
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ProblemError(
    429,
    'too-many-requests',
    'Too many requests',
    `too many requests with a wrong token from this address; try again in ${retryAfterSeconds} s`,
    {},
    { 'Retry-After': String(retryAfterSeconds) },
  );

/** A request's body arrived slower than `bytesPerSecond` on average once `graceMs` had passed. */
export const bodyTooSlow = (rate: { graceMs: number; bytesPerSecond: number }) =>
  new ProblemError(
    408,
    'request-timeout',
    'Request timeout',
    `an upload's body must arrive at ${rate.bytesPerSecond / 1024} KiB/s or more after its first ${rate.graceMs / 1000} s`,
  );

/** Seconds a client refused for work already in hand (its own, or everyone's) is told to wait. */
export const BUSY_RETRY_S = 2;

/** One caller already has `limit` of this work in hand (`model reports being drawn or waiting`): 429 like any per-caller limit. */
export const tooManyAtOnce = (what: string, limit: number) =>
  new ProblemError(
    429,
    'too-many-requests',
    'Too many requests',
    `you already have ${limit} ${what}; try again in ${BUSY_RETRY_S} s`,
    {},
    { 'Retry-After': String(BUSY_RETRY_S) },
  );

/** A 503 for work of several callers already in hand, with when to try again. */
const busy = (slug: string, title: string, what: string) =>
  new ProblemError(503, slug, title, `${what}; try again in ${BUSY_RETRY_S} s`, {}, { 'Retry-After': String(BUSY_RETRY_S) });

/** More model reports, of several callers, wait to be drawn than the server queues. */
export const reportsBusy = (waiting: number) => busy('reports-busy', 'Reports busy', `${waiting} model reports are waiting to be drawn by this server`);

/**
 * A model report that could not be drawn (it overran its time, its drawing process ran out of heap,
 * or the report could not be sent to that process): a fault of this server with this report, not of the
 * request, so 500, named so a caller can tell it from any other error.
 */
export const reportFailed = (detail: string, cause?: unknown) => {
  const problem = new ProblemError(500, 'report-failed', 'Report failed', detail);
  // Logged, not answered: a drawing error's text is this server's code talking.
  if (cause !== undefined) problem.cause = cause;
  return problem;
};

/** The process is shutting down: another replica, or this one restarted, takes the request. */
export const shuttingDown = (what: string) =>
  new ProblemError(503, 'unavailable', 'Service unavailable', `${what}: this server is shutting down; try again in ${BUSY_RETRY_S} s`, {}, {
    'Retry-After': String(BUSY_RETRY_S),
  });

/**
 * The database refused or dropped the request's connection: it is stopped, restarting or cut off.
 * A write whose connection dropped while it committed may have been kept: sent again with its
 * Idempotency-Key, it is answered from what was kept or runs once.
 */
export const databaseUnavailable = () =>
  new ProblemError(503, 'unavailable', 'Service unavailable', `the database is not reachable; try again in ${BUSY_RETRY_S} s`, {}, {
    'Retry-After': String(BUSY_RETRY_S),
  });

/** As many evidence uploads, of several callers, are in flight as the server takes at once. */
export const uploadsBusy = (inFlight: number) => busy('uploads-busy', 'Uploads busy', `${inFlight} evidence uploads are in flight on this server`);

/** A known path that does not serve this method; `allowed` are the methods it serves. */
export const methodNotAllowed = (method: string, allowed: string[]) =>
  new ProblemError(405, 'method-not-allowed', 'Method not allowed', `${method} is not served here; use ${allowed.join(', ')}`, {}, { Allow: allowed.join(', ') });

export const forbidden = (detail: string) => new ProblemError(403, 'forbidden', 'Forbidden', detail);

export const notFound = (detail = 'no such resource, or you may not read it') =>
  new ProblemError(404, 'not-found', 'Not found', detail);

export const validationFailed = (errors: FieldProblem[], detail?: string) =>
  new ProblemError(
    400,
    'validation',
    'Validation failed',
    detail ?? errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    { errors },
  );

export const malformed = (detail: string) => new ProblemError(400, 'malformed', 'Malformed request', detail);

export const payloadTooLarge = (detail: string) => new ProblemError(413, 'payload-too-large', 'Payload too large', detail);

export const unsupportedMediaType = (detail: string) =>
  new ProblemError(415, 'unsupported-media-type', 'Unsupported media type', detail);

export const caseExists = (detail: string) => new ProblemError(409, 'case-exists', 'Case exists', detail);

export const tooManyWebhooks = (limit: number) =>
  new ProblemError(409, 'too-many-webhooks', 'Too many webhooks', `an organisation has at most ${limit} webhooks; delete one first`);

export const tooManyTokens = (limit: number) =>
  new ProblemError(409, 'too-many-tokens', 'Too many tokens', `a user holds at most ${limit} live tokens; revoke one first`);

export const idempotencyMismatch = () =>
  new ProblemError(
    422,
    'idempotency-mismatch',
    'Idempotency key reused',
    'this Idempotency-Key was used with a different request body',
  );

export const idempotencyInProgress = () =>
  new ProblemError(
    409,
    'idempotency-in-progress',
    'Request in progress',
    'the first request with this Idempotency-Key is still running',
  );

/** 409 and 422 on a case carry its state and the caller's allowed events. */
export interface CaseStatus {
  state: string;
  allowedEvents: string[];
}

export const versionConflict = (current: number, status: CaseStatus) =>
  new ProblemError(409, 'version-conflict', 'Version conflict', `If-Match does not match the current ETag "${current}"`, {
    ...status,
  });

export const staleRevision = (status: CaseStatus) =>
  new ProblemError(409, 'stale-revision', 'Stale revision', 'revisionHash is not the current revision hash', { ...status });

export const invalidTransition = (type: string, status: CaseStatus) =>
  new ProblemError(409, 'invalid-transition', 'Invalid transition', `${status.state} does not accept ${type}`, { ...status });

export const guardFailed = (reasons: Array<{ rule: string; message: string }>, status: CaseStatus) =>
  new ProblemError(
    422,
    'guard-failed',
    'Guard failed',
    reasons.map((r) => r.message).join('; '),
    { reasons, ...status },
  );
