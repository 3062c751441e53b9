/**
 * Types of the api's responses, read from the generated OpenAPI client (`npm run client:generate`
 * writes apps/web/src/api/schema.d.ts from the running routes), so a renamed field breaks the
 * test that reads it. A concrete path such as `/v1/cases/${id}/history?limit=5` is matched
 * segment by segment against the schema's templates (`/v1/cases/{id}/history`).
 */
import type { components, paths } from '../../../apps/web/src/api/schema.js';

export type { components, paths };
export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Template = keyof paths & string;

type Split<S extends string> = S extends `${infer Head}/${infer Rest}` ? [Head, ...Split<Rest>] : [S];
type WithoutQuery<S extends string> = S extends `${infer Path}?${string}` ? Path : S;
type SegmentMatches<Actual extends string, Expected extends string> = Expected extends `{${string}}`
  ? Actual extends ''
    ? false
    : true
  : [Actual] extends [Expected]
    ? true
    : false;
type SegmentsMatch<Actual extends string[], Expected extends string[]> = Actual extends [infer A extends string, ...infer ARest extends string[]]
  ? Expected extends [infer E extends string, ...infer ERest extends string[]]
    ? SegmentMatches<A, E> extends true
      ? SegmentsMatch<ARest, ERest>
      : false
    : false
  : Expected extends []
    ? true
    : false;

/** The schema's template for a concrete path and method (never when the schema has none). */
export type TemplateOf<S extends string, M extends HttpMethod> = {
  [T in Template]: paths[T][M] extends { responses: unknown } ? (SegmentsMatch<Split<WithoutQuery<S>>, Split<T>> extends true ? T : never) : never;
}[Template];

/**
 * A trailing rest parameter that is empty for a path of the schema and demands an impossible
 * argument otherwise, so `get('/v1/nowhere')` fails to compile ("Expected 2 arguments").
 */
export type PathCheck<S extends string, M extends HttpMethod> = [TemplateOf<S, M>] extends [never]
  ? [unknownPath: `no ${Uppercase<M>} ${S} in apps/web/src/api/schema.d.ts`]
  : [];

export type Operation<S extends string, M extends HttpMethod> = NonNullable<paths[TemplateOf<S, M>][M]>;

// The JSON body where a route also offers another media type (CSV exports); the client asks for JSON.
type JsonFirst<C> = 'application/json' extends keyof C ? C['application/json'] : C[keyof C];
type BodyOf<R> = R extends { content: infer C } ? JsonFirst<C> : undefined;
// A refusal's body without Problem's open index signature, so reading a success field off an
// unnarrowed response fails to compile instead of typing as unknown.
type Closed<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

/** One member per documented status, its body the documented content: narrow with expectOk or expectProblem. */
export type ApiResponse<O> = O extends { responses: infer Rs }
  ? {
      [S in keyof Rs & number]: { status: S; headers: Headers; body: S extends SuccessStatus ? BodyOf<Rs[S]> : Closed<BodyOf<Rs[S]>>; ms: number };
    }[keyof Rs & number]
  : never;

export type ResponseOf<S extends string, M extends HttpMethod> = ApiResponse<Operation<S, M>>;

/** The success body of an operation, e.g. `OkBody<'/v1/cases/{id}', 'get'>` is the CaseView. */
export type OkBody<S extends string, M extends HttpMethod = 'get'> = Extract<ResponseOf<S, M>, { status: SuccessStatus }>['body'];

export type SuccessStatus = 200 | 201 | 202 | 203 | 204;
