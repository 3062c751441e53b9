import { describe, expect, it } from '@jest/globals';
import type { CaseContext, CaseEvent, UserActor } from '../case-context.js';
import { WORKFLOW_VERSION } from '../case.machine.js';
import type { CaseState } from '../states.js';
import {
  assignmentOf,
  auditedContext,
  auditorA,
  auditorB,
  auditorC,
  auditorD,
  candidateOf,
  developer,
  regulator,
  sampleEvent,
  signOffOf,
} from '../testing/case.fixture.js';
import { MAX_FINDINGS_PER_CASE } from '../events/add-finding.event.js';
import { allowedEvents, evaluateEvent, type Evaluation } from '../workflow.js';
import { guardFailures, payloadIndependentFailures, raiserOrReplacement } from './event-guards.js';

const sut = (state: CaseState, context: CaseContext, event: CaseEvent): Evaluation =>
  evaluateEvent(WORKFLOW_VERSION, state, context, event);
const rules = (result: Evaluation) => (result.outcome === 'guard-failed' ? result.reasons.map((r) => r.rule) : []);
const accepted = (result: Evaluation) => {
  if (result.outcome !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(result)}`);
  return result;
};

describe('ASSIGN_AUDITOR guards', () => {
  const context = auditedContext({ assignments: [assignmentOf(auditorA)] });
  const assign = (candidate: UserActor, conflicted = false): CaseEvent => ({
    type: 'ASSIGN_AUDITOR',
    payload: { auditorId: candidate.id },
    facts: { actor: regulator, candidate: candidateOf(candidate, conflicted) },
  });

  it('accepts an independent auditor of a firm not yet assigned', () => {
    expect(sut('awaiting_assignment', context, assign(auditorB))).toMatchObject({ outcome: 'accepted', toState: 'in_audit' });
  });

  it('refuses an auditor covered by a conflict of interest', () => {
    const result = sut('awaiting_assignment', context, assign(auditorB, true));
    expect(result.outcome).toBe('guard-failed');
    expect(rules(result)).toEqual(['auditor-independent']);
  });

  it('refuses an auditor of a firm already assigned', () => {
    const colleague: UserActor = { id: 'auditor-a2', role: 'auditor', organisationId: auditorA.organisationId };
    expect(rules(sut('awaiting_assignment', context, assign(colleague)))).toEqual(['distinct-firm']);
  });

  it('refuses an auditor already assigned', () => {
    expect(rules(sut('awaiting_assignment', context, assign(auditorA)))).toContain('not-already-assigned');
  });

  it('refuses a user who is not an auditor, or nobody', () => {
    expect(rules(sut('awaiting_assignment', context, assign(regulator)))).toContain('auditor-exists');
    const unknown: CaseEvent = { ...assign(auditorB), facts: { actor: regulator, candidate: null } };
    expect(rules(sut('awaiting_assignment', context, unknown))).toEqual(['auditor-exists']);
  });
});

describe('REASSIGN_AUDITOR guards', () => {
  const context = auditedContext();
  const reassign = (from: string, to: UserActor): CaseEvent => ({
    type: 'REASSIGN_AUDITOR',
    payload: { fromAuditorId: from, toAuditorId: to.id },
    facts: { actor: regulator, candidate: candidateOf(to) },
  });

  it('lets a colleague from the replaced auditor’s own firm take over', () => {
    const colleague: UserActor = { id: 'auditor-a2', role: 'auditor', organisationId: auditorA.organisationId };
    const result = accepted(sut('in_audit', context, reassign(auditorA.id, colleague)));
    expect(result.context.assignments).toEqual([assignmentOf(colleague), assignmentOf(auditorB)]);
    expect(result.context.replacements).toEqual([{ from: auditorA.id, to: colleague.id }]);
  });

  it('refuses to replace an auditor who is not assigned', () => {
    expect(rules(sut('in_audit', context, reassign(auditorD.id, auditorC)))).toEqual(['from-assigned']);
  });

  it('refuses a replacement from the other assigned auditor’s firm', () => {
    const colleagueOfB: UserActor = { id: 'auditor-b2', role: 'auditor', organisationId: auditorB.organisationId };
    expect(rules(sut('info_requested', context, reassign(auditorA.id, colleagueOfB)))).toEqual(['distinct-firm']);
  });

  it('voids the replaced auditor’s sign-off', () => {
    const signed = auditedContext({ signOffs: [signOffOf(auditorA), signOffOf(auditorB)] });
    expect(accepted(sut('in_audit', signed, reassign(auditorA.id, auditorC))).context.signOffs).toEqual([signOffOf(auditorB)]);
  });
});

describe('APPROVE guards', () => {
  const approve = (actor: UserActor, context: CaseContext, facts: Partial<CaseEvent['facts']> = {}): CaseEvent => {
    const event = sampleEvent('APPROVE', actor, context);
    return { ...event, facts: { ...event.facts, ...facts } };
  };

  it('records the sign-off sealed to the current revision hash', () => {
    const context = auditedContext();
    expect(accepted(sut('in_audit', context, approve(auditorA, context))).context.signOffs).toEqual([signOffOf(auditorA, 'hash-1')]);
  });

  it('refuses a second sign-off by the same auditor on the same revision', () => {
    const context = auditedContext({ signOffs: [signOffOf(auditorA)] });
    expect(rules(sut('in_audit', context, approve(auditorA, context)))).toEqual(['signs-once']);
  });

  it('lets the same auditor sign a new revision', () => {
    const context = auditedContext({ revision: 2, revisionHash: 'hash-2', signOffs: [signOffOf(auditorA, 'hash-1')] });
    expect(sut('in_audit', context, approve(auditorA, context)).outcome).toBe('accepted');
  });

  it('refuses while blocking findings are open', () => {
    const context = auditedContext();
    const result = sut('in_audit', context, approve(auditorA, context, { blockingFindings: 2 }));
    expect(rules(result)).toEqual(['no-blocking-findings']);
    expect(result).toMatchObject({ reasons: [{ message: '2 major or critical finding(s) are not yet resolved' }] });
  });

  it('refuses a sign-off by the person who submitted the revision', () => {
    const context = auditedContext({ submittedBy: auditorA.id });
    expect(rules(sut('in_audit', context, approve(auditorA, context)))).toEqual(['not-submitter']);
  });

  it('refuses an auditor now covered by a conflict, and an assessment outside the pack', () => {
    const context = auditedContext();
    expect(rules(sut('in_audit', context, approve(auditorA, context, { actorConflicted: true })))).toEqual(['auditor-independent']);
    const violations = [{ rule: 'weights-within-tier', message: 'model_parameters: open exceeds gated' }];
    expect(rules(sut('in_audit', context, approve(auditorA, context, { policyViolations: violations })))).toEqual(['within-policy']);
  });

  it('reports every failing guard at once', () => {
    const context = auditedContext({ submittedBy: auditorA.id, signOffs: [signOffOf(auditorA)] });
    expect(rules(sut('in_audit', context, approve(auditorA, context, { blockingFindings: 1 })))).toEqual([
      'signs-once',
      'not-submitter',
      'no-blocking-findings',
    ]);
  });
});

describe('RESUBMIT and SUBMIT guards', () => {
  const context = auditedContext();

  it('refuses a RESUBMIT whose revision hash equals the last one', () => {
    const event: CaseEvent = { type: 'RESUBMIT', payload: {}, facts: { actor: developer, revisionHash: 'hash-1' } };
    expect(rules(sut('changes_requested', context, event))).toEqual(['revision-changed']);
  });

  it('makes a new revision from a changed assessment', () => {
    const event: CaseEvent = { type: 'RESUBMIT', payload: {}, facts: { actor: developer, revisionHash: 'hash-2' } };
    expect(accepted(sut('changes_requested', context, event)).context).toMatchObject({
      revision: 2,
      revisionHash: 'hash-2',
      submittedBy: developer.id,
      submittedFrom: 'changes_requested',
    });
  });
});

describe('intake guards', () => {
  const context = auditedContext({ revision: 2, revisionHash: 'hash-2' });

  it.each(['INTAKE_PASSED', 'INTAKE_FAILED'] as const)('refuses %s computed for a stale revision', (type) => {
    const event = sampleEvent(type, 'system', context);
    const stale = { ...event, payload: { ...event.payload, revision: 1 } };
    expect(rules(sut('intake', context, stale))).toEqual(['current-revision']);
    expect(sut('intake', context, event).outcome).toBe('accepted');
  });

  it('keeps only the auditors still independent when intake passes', () => {
    const event = sampleEvent('INTAKE_PASSED', 'system', context);
    const result = accepted(sut('intake', context, { ...event, facts: { ...event.facts, validAuditorIds: [auditorB.id] } }));
    expect(result.toState).toBe('awaiting_assignment');
    expect(result.context.assignments).toEqual([assignmentOf(auditorB)]);
  });
});

describe('ADD_FINDING guards', () => {
  const raise = (actor: UserActor = auditorA): CaseEvent => ({
    type: 'ADD_FINDING',
    payload: { severity: 'minor', title: 'model card omits the eval seed', detail: 'state it' },
    facts: { actor },
  });

  it('counts every finding raised in the context, resolved or not', () => {
    const once = accepted(sut('in_audit', auditedContext(), raise()));
    expect(once.context.findingCount).toBe(1);
    expect(accepted(sut('in_audit', once.context, raise(auditorB))).context.findingCount).toBe(2);
    // Resolving one leaves the count: a resolved finding is still listed and reported.
    const resolve: CaseEvent = {
      type: 'RESOLVE_FINDING',
      payload: { findingId: 'finding-1', note: 'fixed' },
      facts: { actor: auditorA, finding: { id: 'finding-1', raisedBy: auditorA.id, status: 'open' } },
    };
    expect(accepted(sut('in_audit', once.context, resolve)).context.findingCount).toBe(1);
  });

  it(`accepts the ${MAX_FINDINGS_PER_CASE}th finding, refuses the next and leaves ADD_FINDING out of allowedEvents`, () => {
    const last = auditedContext({ findingCount: MAX_FINDINGS_PER_CASE - 1 });
    expect(accepted(sut('in_audit', last, raise())).context.findingCount).toBe(MAX_FINDINGS_PER_CASE);
    expect(allowedEvents(WORKFLOW_VERSION, 'in_audit', last, { actor: auditorA })).toContain('ADD_FINDING');

    const full = auditedContext({ findingCount: MAX_FINDINGS_PER_CASE });
    expect(rules(sut('in_audit', full, raise()))).toEqual(['findings-within-limit']);
    expect(allowedEvents(WORKFLOW_VERSION, 'in_audit', full, { actor: auditorA })).not.toContain('ADD_FINDING');
  });
});

describe('RESOLVE_FINDING guards', () => {
  const finding = { id: 'finding-1', raisedBy: auditorA.id, status: 'open' as const };
  const resolve = (actor: UserActor, status: 'open' | 'responded' | 'resolved' = 'open'): CaseEvent => ({
    type: 'RESOLVE_FINDING',
    payload: { findingId: finding.id, note: 'addressed' },
    facts: { actor, finding: { ...finding, status } },
  });
  const replaceA = (context: CaseContext, to: UserActor) =>
    accepted(
      sut('in_audit', context, {
        type: 'REASSIGN_AUDITOR',
        payload: { fromAuditorId: context.assignments[0]!.auditorId, toAuditorId: to.id },
        facts: { actor: regulator, candidate: candidateOf(to) },
      }),
    ).context;

  it('accepts the auditor who raised the finding', () => {
    expect(sut('in_audit', auditedContext(), resolve(auditorA)).outcome).toBe('accepted');
  });

  it('accepts the raiser’s replacement after REASSIGN_AUDITOR, and refuses another auditor', () => {
    const afterReassign = replaceA(auditedContext(), auditorC);

    expect(sut('in_audit', afterReassign, resolve(auditorC))).toMatchObject({ outcome: 'accepted', toState: 'in_audit' });
    expect(rules(sut('in_audit', afterReassign, resolve(auditorB)))).toEqual(['raised-by-actor']);
    // The replaced auditor is no longer assigned.
    expect(sut('in_audit', afterReassign, resolve(auditorA)).outcome).toBe('forbidden');
  });

  it('follows a chain of replacements', () => {
    const colleague: UserActor = { id: 'auditor-c2', role: 'auditor', organisationId: 'firm-c' };
    const twice = replaceA(replaceA(auditedContext(), auditorC), colleague);
    expect(sut('in_audit', twice, resolve(colleague)).outcome).toBe('accepted');
  });

  it('refuses an unknown or already resolved finding', () => {
    expect(rules(sut('in_audit', auditedContext(), resolve(auditorA, 'resolved')))).toEqual(['finding-not-resolved']);
    const unknown = { ...resolve(auditorA), facts: { actor: auditorA, finding: null } };
    expect(rules(sut('in_audit', auditedContext(), unknown))).toEqual(['finding-exists']);
  });
});

describe(raiserOrReplacement.name, () => {
  const context = auditedContext({ replacements: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }] });

  it.each([
    ['a', true],
    ['b', true],
    ['c', true],
    ['d', false],
  ])('answers for %s: %s', (userId, expected) => {
    expect(raiserOrReplacement(context, 'a', userId)).toBe(expected);
  });

  it('does not run backwards along a replacement', () => {
    expect(raiserOrReplacement(context, 'c', 'a')).toBe(false);
  });
});

describe('WITHDRAW guards', () => {
  it.each<[CaseState, string]>([
    ['released', 'released'],
    ['held', 'held, once released'],
    ['changes_requested', 'changes_requested, once released'],
    ['reassessment_required', 'reassessment_required, released'],
  ])('refuses to withdraw %s once released (%s)', (state) => {
    const context = auditedContext({ released: true });
    const result = sut(state, context, sampleEvent('WITHDRAW', developer, context));
    expect(result.outcome).toBe('guard-failed');
    expect(rules(result)).toEqual(['never-released']);
  });

  it('withdraws a held case never released', () => {
    const context = auditedContext();
    expect(sut('held', context, sampleEvent('WITHDRAW', developer, context))).toMatchObject({ toState: 'withdrawn' });
  });
});

describe('REVOKE and REQUIRE_REASSESSMENT from regulator_review', () => {
  it.each([
    ['REVOKE', 'revoked'],
    ['REQUIRE_REASSESSMENT', 'reassessment_required'],
  ] as const)('%s only when flagged while released', (type, toState) => {
    const flagged = auditedContext({ released: true, flaggedWhileReleased: true });
    const notFlagged = auditedContext({ released: true, flaggedWhileReleased: false });

    expect(sut('regulator_review', flagged, sampleEvent(type, regulator, flagged))).toMatchObject({ outcome: 'accepted', toState });
    expect(rules(sut('regulator_review', notFlagged, sampleEvent(type, regulator, notFlagged)))).toEqual(['flagged-while-released']);
  });

  it('REVOKE from cleared needs no flag', () => {
    const context = auditedContext();
    expect(sut('cleared', context, sampleEvent('REVOKE', regulator, context))).toMatchObject({ toState: 'revoked' });
  });

  it('a flag while released is remembered until the review ends', () => {
    const context = auditedContext({ released: true });
    const flagged = accepted(sut('released', context, sampleEvent('FLAG', regulator, context)));
    expect(flagged.context.flaggedWhileReleased).toBe(true);
    const held = accepted(sut('regulator_review', flagged.context, sampleEvent('HOLD', regulator, flagged.context)));
    expect(held.context.flaggedWhileReleased).toBe(false);
  });
});

describe('FLAG guards', () => {
  const context = auditedContext({ signOffs: [signOffOf(auditorA), signOffOf(auditorB)] });

  it('refuses a regulator’s flag that carries an opinion', () => {
    const event: CaseEvent = { type: 'FLAG', payload: { reason: 'r', opinion: 'adverse' }, facts: { actor: regulator } };
    expect(rules(sut('cleared', context, event))).toEqual(['regulator-flags-without-opinion']);
  });

  it('replaces the flagging auditor’s opinion on the revision', () => {
    const result = accepted(sut('cleared', context, sampleEvent('FLAG', auditorA, context)));
    expect(result.context.signOffs).toEqual([signOffOf(auditorB)]);
  });
});

describe('RECORD_RELEASE and DEADLINE_PASSED guards', () => {
  it('reports each release violation as its own reason', () => {
    const context = auditedContext();
    const violations = [
      { rule: 'release-within-clearance', message: 'inference_code: open exceeds api' },
      { rule: 'checkpoint-matches', message: 'model_parameters: sha256 differs' },
    ];
    const event = sampleEvent('RECORD_RELEASE', developer, context);
    const result = sut('cleared', context, { ...event, facts: { ...event.facts, releaseViolations: violations } });
    expect(result).toEqual({ outcome: 'guard-failed', reasons: violations });
  });

  it('refuses a deadline that is not open and due', () => {
    const context = auditedContext();
    const event: CaseEvent = { type: 'DEADLINE_PASSED', payload: { deadlineId: 'd' }, facts: { actor: 'system', deadline: null } };
    expect(rules(sut('in_audit', context, event))).toEqual(['deadline-open']);
  });
});

describe(payloadIndependentFailures.name, () => {
  it('judges APPROVE without a payload but not the RESUBMIT hash', () => {
    const context = auditedContext({ signOffs: [signOffOf(auditorA)] });
    const approve: CaseEvent = { type: 'APPROVE', payload: {}, facts: { actor: auditorA } };
    const resubmit: CaseEvent = { type: 'RESUBMIT', payload: {}, facts: { actor: developer, revisionHash: 'hash-1' } };

    expect(payloadIndependentFailures('in_audit', context, approve).map((f) => f.rule)).toEqual(['signs-once']);
    expect(payloadIndependentFailures('changes_requested', context, resubmit)).toEqual([]);
    expect(guardFailures('changes_requested', context, resubmit).map((f) => f.rule)).toEqual(['revision-changed']);
  });
});
