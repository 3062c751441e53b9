import { describe, expect, it } from '@jest/globals';
import { CaseEvents } from './event-types.js';
import { evaluateEvent } from './workflow.js';
import { WORKFLOW_VERSION } from './case.machine.js';
import type { CaseContext, CaseEvent } from './case-context.js';
import type { CaseState } from './states.js';
import {
  HIGH_TIER,
  assignmentOf,
  auditedContext,
  auditorA,
  auditorB,
  auditorC,
  candidateOf,
  developer,
  regulator,
  signOffOf,
} from './testing/case.fixture.js';

const step = (state: CaseState, context: CaseContext, event: CaseEvent) => {
  const result = evaluateEvent(WORKFLOW_VERSION, state, context, event);
  if (result.outcome !== 'accepted') throw new Error(`${event.type} refused: ${JSON.stringify(result)}`);
  return result;
};

describe('auditor seats and revisions', () => {
  it('makes the auditor assigned after a conflict the replacement who may resolve the leaver’s findings', () => {
    const left = step('in_audit', auditedContext(), {
      type: CaseEvents.DECLARE_CONFLICT,
      payload: { kind: 'financial', scope: 'individual', reason: 'shares' },
      facts: { actor: auditorA },
    });
    expect(left.toState).toBe('awaiting_assignment');
    expect(left.context.vacated).toEqual([auditorA.id]);

    const filled = step('awaiting_assignment', left.context, {
      type: CaseEvents.ASSIGN_AUDITOR,
      payload: { auditorId: auditorC.id },
      facts: { actor: regulator, candidate: candidateOf(auditorC) },
    });
    expect(filled.toState).toBe('in_audit');
    expect(filled.context.replacements).toEqual([{ from: auditorA.id, to: auditorC.id }]);
    expect(filled.context.vacated).toEqual([]);

    const sut = evaluateEvent(WORKFLOW_VERSION, 'in_audit', filled.context, {
      type: CaseEvents.RESOLVE_FINDING,
      payload: { findingId: 'f-1', note: 'answered' },
      facts: { actor: auditorC, finding: { id: 'f-1', raisedBy: auditorA.id, status: 'responded' } },
    });
    expect(sut.outcome).toBe('accepted');
  });

  it('vacates the seat of an auditor whom intake drops for lost independence', () => {
    const context = auditedContext({ revision: 2, revisionHash: 'hash-2' });
    const sut = step('intake', context, {
      type: CaseEvents.INTAKE_PASSED,
      payload: { revision: 2 },
      facts: { actor: 'system', requirements: HIGH_TIER, validAuditorIds: [auditorB.id] },
    });
    expect(sut.toState).toBe('awaiting_assignment');
    expect(sut.context.assignments).toEqual([assignmentOf(auditorB)]);
    expect(sut.context.vacated).toEqual([auditorA.id]);
  });

  it('needs fresh sign-offs for a new revision even when its hash is unchanged', () => {
    const signed = auditedContext({ signOffs: [signOffOf(auditorA), signOffOf(auditorB)] });
    const resubmitted = step('draft', { ...signed }, {
      type: CaseEvents.SUBMIT,
      payload: {},
      facts: { actor: developer, revisionHash: 'hash-1' },
    });
    expect(resubmitted.context.signOffs).toEqual([]);
    expect(resubmitted.context.revision).toBe(2);

    const passed = step('intake', resubmitted.context, {
      type: CaseEvents.INTAKE_PASSED,
      payload: { revision: 2 },
      facts: { actor: 'system', requirements: HIGH_TIER, validAuditorIds: [auditorA.id, auditorB.id] },
    });
    expect(passed.toState).toBe('in_audit');
    const sut = evaluateEvent(WORKFLOW_VERSION, 'in_audit', passed.context, {
      type: CaseEvents.APPROVE,
      payload: { revisionHash: 'hash-1', opinion: 'unmodified', assurance: 'reasonable', conditions: [] },
      facts: { actor: auditorA, blockingFindings: 0, actorConflicted: false },
    });
    expect(sut.outcome).toBe('accepted');
  });

  it('refuses a deadline whose kind is not the state’s own', () => {
    const sut = evaluateEvent(WORKFLOW_VERSION, 'cleared', auditedContext(), {
      type: CaseEvents.DEADLINE_PASSED,
      payload: { deadlineId: 'd-1' },
      facts: { actor: 'system', deadline: { id: 'd-1', kind: 'reassessment' } },
    });
    expect(sut).toEqual({ outcome: 'guard-failed', reasons: [expect.objectContaining({ rule: 'deadline-open' })] });
  });
});
