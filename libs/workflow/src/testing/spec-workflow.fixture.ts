import type { CaseContext } from '../case-context.js';
import type { DeadlineKind } from '../deadline-kinds.js';
import type { CaseEventType } from '../event-types.js';
import type { CaseState } from '../states.js';

/**
 * SPEC.md's workflow tables, written out by hand so tests check the machine against
 * the contract rather than against itself. Test-only; never import from the machine.
 */

export type ActorRelation =
  | 'developer'
  | 'otherDeveloper'
  | 'assignedAuditor'
  | 'unassignedAuditor'
  | 'regulator'
  | 'admin'
  | 'system';

export const ACTOR_RELATIONS: readonly ActorRelation[] = [
  'developer',
  'otherDeveloper',
  'assignedAuditor',
  'unassignedAuditor',
  'regulator',
  'admin',
  'system',
];

/** SPEC.md's "actor" column. RESOLVE_FINDING's raiser or replacement is always an assigned auditor. */
export const SPEC_ACTORS: Record<CaseEventType, readonly ActorRelation[]> = {
  SUBMIT: ['developer'],
  INTAKE_PASSED: ['system'],
  INTAKE_FAILED: ['system'],
  ASSIGN_AUDITOR: ['regulator'],
  REASSIGN_AUDITOR: ['regulator'],
  DECLARE_CONFLICT: ['assignedAuditor'],
  ADD_FINDING: ['assignedAuditor'],
  RESOLVE_FINDING: ['assignedAuditor'],
  RESPOND_FINDING: ['developer'],
  REQUEST_INFO: ['assignedAuditor'],
  PROVIDE_INFO: ['developer'],
  REQUEST_CHANGES: ['assignedAuditor'],
  RESUBMIT: ['developer'],
  APPROVE: ['assignedAuditor'],
  FLAG: ['assignedAuditor', 'regulator'],
  CLEAR: ['regulator'],
  REQUIRE_CHANGES: ['regulator'],
  HOLD: ['regulator'],
  AMEND: ['developer'],
  RECORD_RELEASE: ['developer'],
  REQUIRE_REASSESSMENT: ['regulator'],
  REVOKE: ['regulator'],
  WITHDRAW: ['developer'],
  DEADLINE_PASSED: ['system'],
  BASE_MODEL_FLAGGED: ['system'],
};

const NON_FINAL_EXCEPT_REVIEW: readonly CaseState[] = [
  'draft',
  'intake',
  'awaiting_assignment',
  'in_audit',
  'info_requested',
  'changes_requested',
  'cleared',
  'released',
  'reassessment_required',
  'held',
];

/** SPEC.md's "from → to" column: for each event, the states that take it and where each may lead. */
export const SPEC_TRANSITIONS: Record<CaseEventType, Partial<Record<CaseState, readonly CaseState[]>>> = {
  SUBMIT: { draft: ['intake'] },
  INTAKE_PASSED: { intake: ['awaiting_assignment', 'in_audit'] },
  INTAKE_FAILED: { intake: ['draft', 'changes_requested'] },
  ASSIGN_AUDITOR: { awaiting_assignment: ['awaiting_assignment', 'in_audit'] },
  REASSIGN_AUDITOR: { in_audit: ['in_audit'], info_requested: ['info_requested'] },
  DECLARE_CONFLICT: {
    in_audit: ['awaiting_assignment'],
    info_requested: ['awaiting_assignment'],
    cleared: ['awaiting_assignment'],
  },
  ADD_FINDING: { in_audit: ['in_audit'] },
  RESOLVE_FINDING: { in_audit: ['in_audit'] },
  RESPOND_FINDING: {
    in_audit: ['in_audit'],
    info_requested: ['info_requested'],
    changes_requested: ['changes_requested'],
  },
  REQUEST_INFO: { in_audit: ['info_requested'] },
  PROVIDE_INFO: { info_requested: ['in_audit'] },
  REQUEST_CHANGES: { in_audit: ['changes_requested'] },
  RESUBMIT: { changes_requested: ['intake'] },
  APPROVE: { in_audit: ['in_audit', 'cleared', 'regulator_review'] },
  FLAG: {
    in_audit: ['regulator_review'],
    info_requested: ['regulator_review'],
    cleared: ['regulator_review'],
    released: ['regulator_review'],
  },
  CLEAR: { regulator_review: ['released', 'cleared', 'in_audit'] },
  REQUIRE_CHANGES: { regulator_review: ['changes_requested'] },
  HOLD: { regulator_review: ['held'], cleared: ['held'] },
  AMEND: { held: ['draft', 'changes_requested'], reassessment_required: ['draft', 'changes_requested'] },
  RECORD_RELEASE: { cleared: ['released'] },
  REQUIRE_REASSESSMENT: { released: ['reassessment_required'], regulator_review: ['reassessment_required'] },
  REVOKE: { cleared: ['revoked'], released: ['revoked'], regulator_review: ['revoked'] },
  WITHDRAW: Object.fromEntries(NON_FINAL_EXCEPT_REVIEW.map((s) => [s, ['withdrawn']])),
  // SPEC.md, Deadlines: escalation keeps the state; the others move the case.
  DEADLINE_PASSED: {
    awaiting_assignment: ['awaiting_assignment'],
    in_audit: ['in_audit'],
    regulator_review: ['regulator_review'],
    info_requested: ['lapsed', 'info_requested'],
    changes_requested: ['lapsed', 'changes_requested'],
    reassessment_required: ['lapsed', 'reassessment_required'],
    cleared: ['expired', 'cleared'],
    released: ['reassessment_required'],
  },
  BASE_MODEL_FLAGGED: { cleared: ['reassessment_required'], released: ['reassessment_required'] },
};

/**
 * The table's qualifiers that refuse an otherwise accepted event (422 guard-failed):
 * WITHDRAW "of a case never released"; REVOKE and REQUIRE_REASSESSMENT from
 * regulator_review "when flagged while released". Returns the rule's name, or null.
 */
export const specQualifierFailure = (type: CaseEventType, state: CaseState, context: CaseContext): string | null => {
  if (type === 'WITHDRAW' && context.released) return 'never-released';
  if ((type === 'REVOKE' || type === 'REQUIRE_REASSESSMENT') && state === 'regulator_review' && !context.flaggedWhileReleased) {
    return 'flagged-while-released';
  }
  return null;
};

/**
 * Every (from, event, to) edge SPEC.md's table allows and some case can take; WITHDRAW
 * from released is listed above only so that it answers guard-failed, never taken.
 */
export const specEdges = (): Array<{ from: CaseState; event: CaseEventType; to: CaseState }> =>
  Object.entries(SPEC_TRANSITIONS)
    .flatMap(([event, froms]) =>
      Object.entries(froms).flatMap(([from, tos]) =>
        (tos ?? []).map((to) => ({ from: from as CaseState, event: event as CaseEventType, to })),
      ),
    )
    .filter((edge) => !(edge.event === 'WITHDRAW' && edge.from === 'released'));

/** SPEC.md, Deadlines: the deadline each state runs. */
export const SPEC_STATE_DEADLINE: Partial<Record<CaseState, DeadlineKind>> = {
  awaiting_assignment: 'assignment',
  in_audit: 'audit',
  info_requested: 'info_response',
  regulator_review: 'review',
  changes_requested: 'changes_response',
  reassessment_required: 'changes_response',
  cleared: 'clearance_validity',
  released: 'reassessment',
};

export const SPEC_FINAL_STATES: readonly CaseState[] = ['withdrawn', 'lapsed', 'expired', 'revoked'];
