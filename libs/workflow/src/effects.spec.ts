import { describe, expect, it } from '@jest/globals';
import type { CaseContext } from './case-context.js';
import { WORKFLOW_VERSION } from './case.machine.js';
import { STATE_DEADLINE, type DeadlineKind } from './deadline-kinds.js';
import { effectsFromActions, type Effect } from './effects.js';
import type { CaseEventType } from './event-types.js';
import type { CaseState } from './states.js';
import { actorFor, sampleEvent, STATE_FIXTURES } from './testing/case.fixture.js';
import { SPEC_ACTORS, SPEC_STATE_DEADLINE } from './testing/spec-workflow.fixture.js';
import { evaluateEvent } from './workflow.js';

const fixture = (name: string) => {
  const found = STATE_FIXTURES.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
};

/** Fires the event from the named fixture, by the first actor SPEC.md's column admits. */
const fire = (fixtureName: string, type: CaseEventType, options: { deadlineKind?: DeadlineKind } = {}) => {
  const { state, context } = fixture(fixtureName);
  const actor = actorFor(SPEC_ACTORS[type][0]!, context)!;
  const result = evaluateEvent(WORKFLOW_VERSION, state, context, sampleEvent(type, actor, context, { state, ...options }));
  if (result.outcome !== 'accepted') throw new Error(`${fixtureName} ${type}: ${JSON.stringify(result)}`);
  return result;
};

const DEADLINE_EFFECTS = new Set(['openDeadline', 'closeDeadline', 'pauseDeadline', 'resumeDeadline']);
const deadlineEffects = (effects: Effect[]) => effects.filter((e) => DEADLINE_EFFECTS.has(e.type));

describe('deadline effects', () => {
  it('runs the deadline SPEC.md names for each state', () => {
    expect(STATE_DEADLINE).toEqual(SPEC_STATE_DEADLINE);
  });

  it.each<[CaseState, string, CaseEventType]>([
    ['awaiting_assignment', 'intake from draft', 'INTAKE_PASSED'],
    ['in_audit', 'intake from changes_requested', 'INTAKE_PASSED'],
    ['in_audit', 'awaiting_assignment, one of two assigned', 'ASSIGN_AUDITOR'],
    ['in_audit', 'regulator_review, flagged in audit', 'CLEAR'],
    ['info_requested', 'in_audit, high tier', 'REQUEST_INFO'],
    ['changes_requested', 'in_audit, high tier', 'REQUEST_CHANGES'],
    ['changes_requested', 'regulator_review, flagged in audit', 'REQUIRE_CHANGES'],
    ['regulator_review', 'in_audit, one sign-off of two', 'APPROVE'],
    ['regulator_review', 'released', 'FLAG'],
    ['cleared', 'in_audit, low tier', 'APPROVE'],
    ['released', 'cleared', 'RECORD_RELEASE'],
    ['released', 'regulator_review, flagged while released', 'CLEAR'],
    ['reassessment_required', 'released', 'REQUIRE_REASSESSMENT'],
    ['reassessment_required', 'cleared', 'BASE_MODEL_FLAGGED'],
  ])('opens the deadline of %s when entered from %s by %s', (toState, fixtureName, type) => {
    const result = fire(fixtureName, type);
    expect(result.toState).toBe(toState);
    expect(result.effects).toContainEqual({ type: 'openDeadline', kind: SPEC_STATE_DEADLINE[toState] });
  });

  it.each<[string, CaseEventType, CaseState]>([
    ['awaiting_assignment, one of two assigned', 'ASSIGN_AUDITOR', 'in_audit'],
    ['in_audit, high tier', 'REQUEST_CHANGES', 'changes_requested'],
    ['in_audit, high tier', 'WITHDRAW', 'withdrawn'],
    ['regulator_review, review required', 'CLEAR', 'cleared'],
    ['changes_requested', 'RESUBMIT', 'intake'],
    ['cleared', 'RECORD_RELEASE', 'released'],
    ['released', 'REVOKE', 'revoked'],
    ['reassessment_required, released', 'AMEND', 'changes_requested'],
  ])('closes the deadline of %s when %s leaves it', (fixtureName, type, toState) => {
    const { state } = fixture(fixtureName);
    const result = fire(fixtureName, type);
    expect(result.toState).toBe(toState);
    expect(result.effects).toContainEqual({ type: 'closeDeadline', kind: SPEC_STATE_DEADLINE[state] });
  });

  it('pauses the audit deadline and opens info_response on REQUEST_INFO', () => {
    expect(fire('in_audit, high tier', 'REQUEST_INFO').effects).toEqual([
      { type: 'pauseDeadline', kind: 'audit' },
      { type: 'openDeadline', kind: 'info_response' },
    ]);
  });

  it('closes info_response and resumes the audit deadline on PROVIDE_INFO', () => {
    expect(fire('info_requested', 'PROVIDE_INFO').effects).toEqual([
      { type: 'closeDeadline', kind: 'info_response' },
      { type: 'resumeDeadline', kind: 'audit' },
    ]);
  });

  it.each<[CaseEventType, CaseState]>([
    ['FLAG', 'regulator_review'],
    ['DECLARE_CONFLICT', 'awaiting_assignment'],
    ['WITHDRAW', 'withdrawn'],
  ])('closes info_response and audit, without resuming, when %s leaves info_requested', (type, toState) => {
    const result = fire('info_requested', type);
    expect(result.toState).toBe(toState);
    const expected: Effect[] = [
      { type: 'closeDeadline', kind: 'info_response' },
      { type: 'closeDeadline', kind: 'audit' },
    ];
    const opened = SPEC_STATE_DEADLINE[toState];
    if (opened) expected.push({ type: 'openDeadline', kind: opened });
    expect(deadlineEffects(result.effects)).toEqual(expected);
  });

  it.each<[string, CaseEventType]>([
    ['in_audit, high tier', 'ADD_FINDING'],
    ['in_audit, high tier', 'RESOLVE_FINDING'],
    ['in_audit, high tier', 'RESPOND_FINDING'],
    ['in_audit, high tier', 'REASSIGN_AUDITOR'],
    ['in_audit, high tier', 'APPROVE'],
    ['info_requested', 'RESPOND_FINDING'],
    ['info_requested', 'REASSIGN_AUDITOR'],
    ['changes_requested', 'RESPOND_FINDING'],
    ['draft, new', 'SUBMIT'],
  ])('self-transitions and deadline-less states touch no deadline: %s %s', (fixtureName, type) => {
    const result = fire(fixtureName, type);
    expect(deadlineEffects(result.effects)).toEqual([]);
  });

  it('ASSIGN_AUDITOR that does not complete the assignment touches no deadline', () => {
    const context: CaseContext = { ...fixture('intake from draft').context, requirements: { tier: 'high', signOffs: 2, regulatorReview: true } };
    const event = sampleEvent('ASSIGN_AUDITOR', actorFor('regulator', context)!, context);
    const result = evaluateEvent(WORKFLOW_VERSION, 'awaiting_assignment', context, event);
    expect(result).toMatchObject({ outcome: 'accepted', toState: 'awaiting_assignment', effects: [] });
  });
});

describe('DEADLINE_PASSED', () => {
  it.each<[string, DeadlineKind]>([
    ['awaiting_assignment, one of two assigned', 'assignment'],
    ['in_audit, high tier', 'audit'],
    ['regulator_review, flagged in audit', 'review'],
    ['regulator_review, flagged while released', 'review'],
    ['info_requested, once released', 'info_response'],
    ['changes_requested, once released', 'changes_response'],
    ['reassessment_required, released', 'changes_response'],
    ['cleared, once released', 'clearance_validity'],
  ])('escalates in %s (%s): one escalation, same state, no deadline touched', (fixtureName, deadlineKind) => {
    const { state } = fixture(fixtureName);
    const result = fire(fixtureName, 'DEADLINE_PASSED', { deadlineKind });
    expect(result.toState).toBe(state);
    expect(result.effects).toEqual([{ type: 'escalateDeadline' }]);
  });

  it.each<[string, DeadlineKind, CaseState]>([
    ['info_requested', 'info_response', 'lapsed'],
    ['changes_requested', 'changes_response', 'lapsed'],
    ['reassessment_required, base model flagged before release', 'changes_response', 'lapsed'],
    ['cleared', 'clearance_validity', 'expired'],
    ['released', 'reassessment', 'reassessment_required'],
  ])('in %s, %s moves the case to %s', (fixtureName, deadlineKind, toState) => {
    const { state } = fixture(fixtureName);
    const result = fire(fixtureName, 'DEADLINE_PASSED', { deadlineKind });
    expect(result.toState).toBe(toState);
    expect(result.effects).not.toContainEqual({ type: 'escalateDeadline' });
    expect(result.effects).toContainEqual({ type: 'closeDeadline', kind: deadlineKind });
    if (state !== 'info_requested') return;
    expect(result.effects).toContainEqual({ type: 'closeDeadline', kind: 'audit' });
  });
});

describe('intake effects', () => {
  it.each<[string, CaseEventType]>([
    ['draft, new', 'SUBMIT'],
    ['changes_requested', 'RESUBMIT'],
  ])('%s: %s requests intake', (fixtureName, type) => {
    expect(fire(fixtureName, type).effects).toContainEqual({ type: 'requestIntake' });
  });

  it('SUBMIT asks for intake and nothing else', () => {
    expect(fire('draft, new', 'SUBMIT').effects).toEqual([{ type: 'requestIntake' }]);
  });

  it('INTAKE_FAILED does not request intake again', () => {
    expect(fire('intake from draft', 'INTAKE_FAILED').effects).toEqual([]);
  });
});

describe(effectsFromActions.name, () => {
  const sut = effectsFromActions;

  it('keeps effect actions with their params and drops xstate’s own', () => {
    expect(
      sut([
        { type: 'xstate.assign', params: { irrelevant: true } },
        { type: 'openDeadline', params: { kind: 'review' } },
        { type: 'requestIntake' },
      ]),
    ).toEqual([{ type: 'openDeadline', kind: 'review' }, { type: 'requestIntake' }]);
  });

  it('drops a resume that a close of the same deadline follows, but not of another', () => {
    expect(
      sut([
        { type: 'resumeDeadline', params: { kind: 'audit' } },
        { type: 'closeDeadline', params: { kind: 'info_response' } },
        { type: 'closeDeadline', params: { kind: 'audit' } },
      ]),
    ).toEqual([
      { type: 'closeDeadline', kind: 'info_response' },
      { type: 'closeDeadline', kind: 'audit' },
    ]);
    expect(sut([{ type: 'resumeDeadline', params: { kind: 'audit' } }, { type: 'closeDeadline', params: { kind: 'review' } }])).toEqual([
      { type: 'resumeDeadline', kind: 'audit' },
      { type: 'closeDeadline', kind: 'review' },
    ]);
  });
});
