import { isPlainObject } from '../validation/is-plain-object.util.js';
import type { ValidationProblem } from '../validation/validation-problem.js';
import { problemsFrom } from '../validation/zod-problems.util.js';
import { policyPackSchema } from './policy-pack.schema.js';

/** Every problem of a policy pack document, for publishing and for loading. Empty when valid. */
export const validatePolicyPack = (doc: unknown): ValidationProblem[] =>
  isPlainObject(doc) ? problemsFrom(policyPackSchema, doc) : [{ path: '$', message: 'must be a JSON object' }];
