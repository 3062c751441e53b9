import { z } from 'zod';
import { COMPONENTS } from '../vocabulary/components.js';
import { GATING_APPROVALS, RELEASE_LEVELS } from '../vocabulary/release-levels.js';
import { ASSESSED_TIERS } from '../vocabulary/tiers.js';
import { componentListProblems } from '../validation/component-list-problems.util.js';

const nonEmpty = () => z.string().min(1, 'must not be empty');

export const gatingSchema = z.strictObject({
  criteria: z.array(nonEmpty()).min(1, 'at least one criterion is required'),
  approval: z.enum(GATING_APPROVALS),
});

export const assessedComponentSchema = z.strictObject({
  component: z.enum(COMPONENTS),
  release: z.enum(RELEASE_LEVELS),
  gating: gatingSchema.optional(),
});

export const evaluationSchema = z.strictObject({
  domain: nonEmpty(),
  method: nonEmpty(),
  tier: z.enum(ASSESSED_TIERS),
  summary: z.string(),
  evidenceIds: z.array(z.uuid()).optional(),
});

export const safeguardSchema = z.strictObject({
  kind: nonEmpty(),
  description: z.string(),
  residualRisk: nonEmpty(),
});

// Both halves optional: a draft fills them in gradually; submission requires them.
export const marginalRiskSchema = z.strictObject({
  referenceModel: z.string().optional(),
  analysis: z.string().optional(),
});

/** Cross-item component rules, also enforced by `assessmentSchema` itself. */
export const componentListSchema = z.array(assessedComponentSchema).superRefine((items, ctx) => {
  for (const problem of componentListProblems(items)) ctx.addIssue({ code: 'custom', ...problem });
});

/**
 * The assessment document (SPEC "The assessment document"). Every top-level field is optional
 * because a draft may be incomplete; `validateAssessmentComplete` adds what submission needs.
 * Unknown fields are invalid at every level.
 */
export const assessmentSchema = z.strictObject({
  summary: z.string().optional(),
  intendedUse: z.string().optional(),
  components: componentListSchema.optional(),
  evaluations: z.array(evaluationSchema).optional(),
  safeguards: z.array(safeguardSchema).optional(),
  marginalRisk: marginalRiskSchema.optional(),
  rationale: z.string().optional(),
  failureConditions: z.array(z.string()).optional(),
});

export type AssessmentDocument = z.infer<typeof assessmentSchema>;
export type AssessedComponent = z.infer<typeof assessedComponentSchema>;
export type Evaluation = z.infer<typeof evaluationSchema>;
export type Safeguard = z.infer<typeof safeguardSchema>;
