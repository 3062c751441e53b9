import { ancestorNotHeld } from './ancestor-not-held.rule.js';
import { domainEvaluated } from './domain-evaluated.rule.js';
import type { IntakeInput, IntakeReason } from './intake-reason.js';
import { weightsWithinTier } from './weights-within-tier.rule.js';

/** Screens a submitted revision against its pinned pack; every reason, empty when it passes. */
export const screenIntake = (input: IntakeInput): IntakeReason[] => [
  ...domainEvaluated(input),
  ...weightsWithinTier(input),
  ...ancestorNotHeld(input),
];
