import { parse as parseQueryStringLoosely } from 'node:querystring';
import type { z } from 'zod';
import { findInvalidString } from '@app/integrity';
import { zodIssuesToProblems } from '@app/policy';
import { validationFailed, type FieldProblem } from '@app/problems';

/** A zod schema, or a validator that lists every problem of a document (policy packs, assessments). */
export type BodyRule<T> = z.ZodType<T> | ((input: unknown) => readonly FieldProblem[]);

/**
 * Checks a request body or query at the edge: a string holding U+0000 or a lone surrogate first,
 * then the rule; any failure is 400 `validation` listing every problem (SPEC.md, HTTP API).
 */
export function parseBody<T extends z.ZodType>(rule: T, input: unknown): z.infer<T>;
export function parseBody<T>(rule: (input: unknown) => readonly FieldProblem[], input: unknown): T;
export function parseBody<T>(rule: BodyRule<T>, input: unknown): T {
  const bad = findInvalidString(input);
  if (bad) throw validationFailed([{ path: bad, message: 'strings may not hold U+0000 or a lone surrogate' }]);
  if (typeof rule === 'function') {
    const problems = rule(input);
    if (problems.length > 0) throw validationFailed([...problems]);
    return input as T;
  }
  const result = rule.safeParse(input);
  if (!result.success) throw validationFailed(zodIssuesToProblems(result.error.issues));
  return result.data;
}

/** Query strings follow the same rules as bodies. */
export const parseQuery = <T extends z.ZodType>(schema: T, query: unknown): z.infer<T> => parseBody(schema, query);

// Decoding that fails (a malformed escape, or bytes that are not UTF-8 such as an encoded lone
// surrogate) yields a lone surrogate, so parseQuery refuses the parameter with 400 by name,
// where Node's own decoding would silently put U+FFFD in its place.
const strictDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return '\udc80';
  }
};

/** Express's `query parser`: `querystring` with strict percent-decoding (see strictDecode). */
export const parseQueryString = (query: string): Record<string, unknown> => ({
  ...parseQueryStringLoosely(query, '&', '=', { decodeURIComponent: strictDecode }),
});
