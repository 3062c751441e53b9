import { z } from 'zod';
import { gatingSchema } from '../assessment/assessment.schema.js';
import { componentListProblems } from '../validation/component-list-problems.util.js';
import { toJsonPath } from '../validation/json-path.util.js';
import type { ValidationProblem } from '../validation/validation-problem.js';
import { problemsFrom, uniqueProblems } from '../validation/zod-problems.util.js';
import { COMPONENTS } from '../vocabulary/components.js';
import { RELEASE_LEVELS } from '../vocabulary/release-levels.js';

export const recordedComponentSchema = z.strictObject({
  component: z.enum(COMPONENTS),
  release: z.enum(RELEASE_LEVELS),
  location: z.string().min(1, 'must not be empty'),
  gating: gatingSchema.optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hexadecimal characters').optional(),
});

/** The `components` payload of `RECORD_RELEASE`: at least one, each once, gating exactly when gated. */
export const recordReleaseComponentsSchema = z
  .array(recordedComponentSchema)
  .min(1, 'at least one component is required')
  .superRefine((items, ctx) => {
    for (const problem of componentListProblems(items)) ctx.addIssue({ code: 'custom', ...problem });
  });

/**
 * Every problem of a `RECORD_RELEASE` payload's `components` value, with paths under
 * `$.components` as they appear in the event body.
 */
export const validateRecordReleaseComponents = (components: unknown): ValidationProblem[] => {
  const listProblems = componentListProblems(components).map((p) => ({
    path: toJsonPath(['components', ...p.path]),
    message: p.message,
  }));
  const problems = problemsFrom(recordReleaseComponentsSchema, components).map((p) => ({
    path: p.path.replace(/^\$/, '$.components'),
    message: p.message,
  }));
  return uniqueProblems([...problems, ...listProblems]);
};
