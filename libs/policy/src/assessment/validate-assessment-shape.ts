import { componentListProblems } from '../validation/component-list-problems.util.js';
import { isPlainObject } from '../validation/is-plain-object.util.js';
import { toJsonPath } from '../validation/json-path.util.js';
import type { ValidationProblem } from '../validation/validation-problem.js';
import { problemsFrom, uniqueProblems } from '../validation/zod-problems.util.js';
import { assessmentSchema } from './assessment.schema.js';

/**
 * Every shape problem of an assessment document (types, enums, unknown fields, duplicate
 * components, `gating` present exactly when `gated`), for `PUT …/assessment`. Empty when valid.
 */
export const validateAssessmentShape = (doc: unknown): ValidationProblem[] => {
  if (!isPlainObject(doc)) return [{ path: '$', message: 'must be a JSON object' }];
  // zod skips the list refinement when an item is malformed; run it on the raw list as well
  // so one PUT reports every problem.
  const listProblems = componentListProblems(doc['components']).map((p) => ({
    path: toJsonPath(['components', ...p.path]),
    message: p.message,
  }));
  return uniqueProblems([...problemsFrom(assessmentSchema, doc), ...listProblems]);
};
