import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiResponse, DECORATORS } from '@nestjs/swagger';
import { z } from 'zod';
import { Public } from '@app/auth';

type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as an OpenAPI 3.0 schema object (the document is 3.0: `nullable`, no
 * `$schema`). Request bodies describe what a client may send (`input`: defaults optional);
 * responses what the api returns (`output`).
 */
export const openApiSchema = (schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io }) as JsonSchema;

const NAMES = new WeakMap<z.ZodType, string>();
const COMPONENTS = new Map<string, JsonSchema>();

/** Names a response schema: the document lists it once under components.schemas and refers to it. */
export const named = <T extends z.ZodType>(name: string, schema: T): T => {
  NAMES.set(schema, name);
  return schema;
};

/** The named schemas the routes' decorators referred to, for `components.schemas`. */
export const componentSchemas = (): Record<string, JsonSchema> =>
  Object.fromEntries([...COMPONENTS].sort(([a], [b]) => a.localeCompare(b)));

const schemaOrRef = (schema: z.ZodType): JsonSchema => {
  const name = NAMES.get(schema);
  if (!name) return openApiSchema(schema);
  if (!COMPONENTS.has(name)) COMPONENTS.set(name, openApiSchema(schema));
  return { $ref: `#/components/schemas/${name}` };
};

/** An RFC 3339 UTC time with milliseconds, as every response writes it. */
export const timestamp = () => z.string().meta({ format: 'date-time' });

/** RFC 9457 problem details, with the extensions SPEC.md names. */
export const problemSchema = named(
  'Problem',
  z
    .object({
      type: z.string().meta({ description: '`/problems/<slug>`' }),
      title: z.string(),
      status: z.number().int(),
      detail: z.string(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().meta({ description: 'validation: every problem' }),
      reasons: z
        .array(z.object({ rule: z.string(), message: z.string(), path: z.string().optional() }))
        .optional()
        .meta({ description: 'guard-failed: every guard that refused' }),
      state: z.string().optional().meta({ description: '409 and 422 on a case: its state' }),
      allowedEvents: z.array(z.string()).optional().meta({ description: '409 and 422 on a case: what the caller may fire' }),
    })
    .loose(),
);

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'validation (errors lists every problem), malformed JSON or a cursor of another query',
  401: 'unauthenticated: missing, unknown or revoked token',
  403: 'forbidden: the route or the event is closed to the caller',
  404: 'not-found: no such resource, or the caller may not read it',
  408: 'request-timeout: an upload\'s body stopped coming (answered, then the connection is closed)',
  409: 'a conflict: version-conflict, stale-revision, invalid-transition, case-exists, pack-exists, not-released, incident-closed, too-many-webhooks, too-many-tokens or idempotency-in-progress',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'guard-failed (reasons) or idempotency-mismatch',
  429: 'too-many-requests, with Retry-After',
  500: 'report-failed: the model report could not be drawn (it overran its time or its memory)',
  503: 'unavailable: the database is not reachable or the server is shutting down; or reports-busy / uploads-busy (with Retry-After)',
};

/** The problem+json answer with `status`, as the document lists it. */
export const problemResponse = (status: number) => ({
  status,
  description: PROBLEM_DESCRIPTIONS[status] ?? 'a problem',
  content: { 'application/problem+json': { schema: schemaOrRef(problemSchema) } },
});

/** The problem+json answers a route can give. */
export const ApiProblems = (...statuses: number[]) => applyDecorators(...statuses.map((status) => ApiResponse(problemResponse(status))));

/** A JSON body answered with this status, described by a zod schema. */
export const ApiJson = (status: number, schema: z.ZodType, description = 'OK') =>
  ApiResponse({ status, description, content: { 'application/json': { schema: schemaOrRef(schema) } } });

/**
 * A list answered as JSON, or as CSV to `Accept: text/csv` (one 200 response with both
 * media types, so the document shows them as alternatives).
 */
export const ApiJsonOrCsv = (schema: z.ZodType, csvDescription: string) =>
  ApiResponse({
    status: 200,
    description: 'OK: JSON, or CSV when the request asks for `text/csv`',
    content: {
      'application/json': { schema: schemaOrRef(schema) },
      'text/csv': { schema: { type: 'string', description: csvDescription } },
    },
  });

/**
 * Query parameters from the zod object that parses them (controllers take `@Query()` as
 * unknown and validate with zod, so Nest cannot see them).
 */
export const ApiQueryFrom = (schema: z.ZodObject) => {
  const json = openApiSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: json.required?.includes(name) ?? false, schema: property }),
    ),
  );
};

/**
 * A route anyone may call without a token: the auth guard lets it through (`Public`) and the
 * document says `security: []`, overriding its bearer default. One decorator, so the two
 * cannot disagree. On a class it covers every route of the controller.
 */
export const PublicRoute = () =>
  applyDecorators(Public(), (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (!descriptor) return Reflect.defineMetadata(DECORATORS.API_SECURITY, [], target);
    // Nest's explorer drops an empty method-level security list; an operation field survives.
    const handler = descriptor.value as object;
    Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...Reflect.getMetadata(DECORATORS.API_OPERATION, handler), security: [] }, handler);
  });

/** Writes to a case: If-Match is optional; a stale one is a conflict. */
export const IfMatch = ApiHeader({ name: 'If-Match', required: false, description: 'the case’s ETag last read (`"7"`); a stale one is 409 version-conflict' });
export const IdempotencyKey = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'replays the first 2xx response for 24 hours' });
/** Every write to a case: the reads' problems plus validation, conflicts and refused guards. */
export const WriteProblems = ApiProblems(400, 401, 403, 404, 409, 413, 415, 422);
