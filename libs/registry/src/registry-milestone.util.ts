import { CaseStates, type CaseState } from '@app/workflow';

/** States whose entry publishes a registry record (see docs/decisions.md, "Public registry"). */
export const REGISTRY_MILESTONES: readonly CaseState[] = [
  CaseStates.cleared,
  CaseStates.released,
  CaseStates.revoked,
  CaseStates.reassessment_required,
  CaseStates.expired,
  CaseStates.held,
];

/**
 * True when a step from `fromState` to `toState` asks for a registry record. Self-transitions never do.
 * The worker still publishes only when the audit completed (the history entered `cleared`), so a hold
 * before any clearance stays private.
 */
export const isRegistryMilestone = (fromState: CaseState, toState: CaseState): boolean =>
  fromState !== toState && REGISTRY_MILESTONES.includes(toState);
