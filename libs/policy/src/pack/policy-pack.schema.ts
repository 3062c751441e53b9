import { z } from 'zod';
import { DEADLINE_KINDS, type DeadlineKind } from '@app/workflow';
import { RELEASE_LEVELS } from '../vocabulary/release-levels.js';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../vocabulary/incident-categories.js';
import { TIERS, type Tier } from '../vocabulary/tiers.js';
import { ISO_DURATION_PATTERN, parseIsoDuration } from './iso-duration.util.js';
import { tierMonotonicityProblems } from './tier-monotonicity.util.js';

// The deadline kinds a pack sets are the workflow's, one per waiting state (SPEC "Deadlines").
export { DEADLINE_KINDS, type DeadlineKind };

export const PACK_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
// No leading zeros, so "1.01" and "1.1" cannot both name the same version.
export const PACK_VERSION_PATTERN = /^(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*$/;

const durationSchema = z
  .string()
  .regex(new RegExp(ISO_DURATION_PATTERN), {
    message: 'must be an ISO 8601 duration in weeks, days, hours, minutes or seconds (years and months have no fixed length)',
    abort: true,
  })
  .refine((s) => parseIsoDuration(s) > 0, 'must be longer than zero');

export const tierRequirementsSchema = z.strictObject({
  maxWeightsRelease: z.enum(RELEASE_LEVELS),
  signOffs: z.int().min(1),
  regulatorReview: z.boolean(),
});


/** A policy pack document (SPEC "Policy packs"): versioned, immutable once published. */
export const policyPackSchema = z.strictObject({
  id: z.string().regex(PACK_ID_PATTERN, 'must be lowercase letters, digits and hyphens, starting with a letter or digit'),
  version: z.string().regex(PACK_VERSION_PATTERN, 'must be dot-separated non-negative integers, e.g. "1" or "1.2"'),
  title: z.string().min(1, 'must not be empty'),
  domains: z
    .array(z.string().min(1, 'must not be empty'))
    .min(1, 'at least one domain is required')
    .refine((ds) => new Set(ds).size === ds.length, 'domains must be unique'),
  cannotRuleOutCountsAs: z.enum(TIERS),
  tiers: z
    .strictObject(
      Object.fromEntries(TIERS.map((t) => [t, tierRequirementsSchema])) as Record<Tier, typeof tierRequirementsSchema>,
    )
    .superRefine((tiers, ctx) => {
      for (const problem of tierMonotonicityProblems(tiers)) ctx.addIssue({ code: 'custom', ...problem });
    }),
  deadlines: z.strictObject(Object.fromEntries(DEADLINE_KINDS.map((k) => [k, durationSchema])) as Record<
    DeadlineKind,
    typeof durationSchema
  >),
  /** Incident clocks (SPEC "Incidents"); without them a pack runs the defaults of DEFAULT_INCIDENT_CLOCKS. */
  incidents: z
    .strictObject({
      report: z.strictObject(
        Object.fromEntries(INCIDENT_CATEGORIES.map((c) => [c, durationSchema])) as Record<IncidentCategory, typeof durationSchema>,
      ),
      finalReport: durationSchema,
    })
    .optional(),
});

export type PolicyPack = z.infer<typeof policyPackSchema>;

/** JSON Schema of a policy pack document, served beside each pack. */
export const policyPackJsonSchema = z.toJSONSchema(policyPackSchema);
