import { CaseStates, type CaseState } from './states.js';

export const DEADLINE_KINDS = [
  'assignment',
  'audit',
  'review',
  'info_response',
  'changes_response',
  'clearance_validity',
  'reassessment',
] as const;

export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DeadlineKinds = Object.fromEntries(DEADLINE_KINDS.map((k) => [k, k])) as {
  readonly [K in DeadlineKind]: K;
};

/** Which deadline a state runs (SPEC.md, Deadlines); the audit deadline spans in_audit and info_requested. */
export const STATE_DEADLINE: Partial<Record<CaseState, DeadlineKind>> = {
  [CaseStates.awaiting_assignment]: DeadlineKinds.assignment,
  [CaseStates.in_audit]: DeadlineKinds.audit,
  [CaseStates.info_requested]: DeadlineKinds.info_response,
  [CaseStates.regulator_review]: DeadlineKinds.review,
  [CaseStates.changes_requested]: DeadlineKinds.changes_response,
  [CaseStates.reassessment_required]: DeadlineKinds.changes_response,
  [CaseStates.cleared]: DeadlineKinds.clearance_validity,
  [CaseStates.released]: DeadlineKinds.reassessment,
};

/** Deadlines whose firing escalates rather than moving the case. */
export const ESCALATING_DEADLINES: readonly DeadlineKind[] = [
  DeadlineKinds.assignment,
  DeadlineKinds.audit,
  DeadlineKinds.review,
];
