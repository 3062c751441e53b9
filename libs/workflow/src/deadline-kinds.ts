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

/**
 * The deadline that belongs to an incident rather than to a state (SPEC "Incidents"): opened by
 * the report, closed by a `final` update or the closing, escalating like an audit's.
 */
export const INCIDENT_FINAL_REPORT = 'incident_final_report' as const;

/** Every kind a deadline row may have: the states' and the incidents'. */
export const ALL_DEADLINE_KINDS = [...DEADLINE_KINDS, INCIDENT_FINAL_REPORT] as const;

export type AnyDeadlineKind = (typeof ALL_DEADLINE_KINDS)[number];

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
