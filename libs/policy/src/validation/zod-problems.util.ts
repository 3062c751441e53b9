import type { z } from 'zod';
import { toJsonPath } from './json-path.util.js';
import type { ValidationProblem } from './validation-problem.js';

/** Parse-time error map: a missing field says so plainly instead of "expected string, received undefined". */
export const requiredFieldErrorMap = (issue: { code?: string; input?: unknown }): string | undefined =>
  issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value') ? 'required' : undefined;

/**
 * A union every branch refused: when exactly one branch has the item's own fields (no unknown
 * key at its level), its problems name the field that is wrong; otherwise the item is.
 */
const unionBranchIssues = (issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | null => {
  const fitting = issue.errors.filter((branch) => !branch.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0));
  return fitting.length === 1 ? fitting[0]!.map((i) => ({ ...i, path: [...issue.path, ...i.path] })) : null;
};

/** Maps zod issues to problems, one per unknown key so each gets its own path. */
export const zodIssuesToProblems = (issues: readonly z.core.$ZodIssue[]): ValidationProblem[] =>
  issues.flatMap((issue): ValidationProblem[] => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: toJsonPath([...issue.path, key]), message: 'unknown field' }));
    const branch = issue.code === 'invalid_union' ? unionBranchIssues(issue) : null;
    return branch ? zodIssuesToProblems(branch) : [{ path: toJsonPath(issue.path), message: issue.message }];
  });

/** Runs a schema and returns every problem, never throwing. */
export const problemsFrom = (schema: z.ZodType, doc: unknown): ValidationProblem[] => {
  const result = schema.safeParse(doc, { error: requiredFieldErrorMap });
  return result.success ? [] : zodIssuesToProblems(result.error.issues);
};

/** Drops problems repeated at the same path with the same message, keeping first-seen order. */
export const uniqueProblems = (problems: readonly ValidationProblem[]): ValidationProblem[] => {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};
