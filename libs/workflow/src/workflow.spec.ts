import { describe, expect, it } from '@jest/globals';
import type { CaseContext } from './case-context.js';
import { WORKFLOW_VERSION } from './case.machine.js';
import { EVENT_TYPES, type CaseEventType } from './event-types.js';
import type { CaseState } from './states.js';
import {
  actorFor,
  admin,
  auditedContext,
  auditorA,
  auditorB,
  developer,
  regulator,
  sampleEvent,
  signOffOf,
  STATE_FIXTURES,
} from './testing/case.fixture.js';
import {
  ACTOR_RELATIONS,
  SPEC_ACTORS,
  SPEC_FINAL_STATES,
  SPEC_TRANSITIONS,
  specEdges,
  specQualifierFailure,
  type ActorRelation,
} from './testing/spec-workflow.fixture.js';
import {
  acceptsEvent,
  allowedEvents,
  evaluateEvent,
  leafState,
  machineFor,
  startCase,
  workflowEdges,
  workflowMermaid,
} from './workflow.js';

const oneOf = (states: readonly CaseState[]) => expect.stringMatching(new RegExp(`^(${states.join('|')})$`));

/** What SPEC.md's tables say the event answers, decided without the machine. */
const specOutcome = (type: CaseEventType, relation: ActorRelation, state: CaseState, context: CaseContext) => {
  if (!SPEC_ACTORS[type].includes(relation)) return { outcome: 'forbidden' };
  const targets = SPEC_TRANSITIONS[type][state];
  if (!targets) return { outcome: 'invalid-transition' };
  const qualifier = specQualifierFailure(type, state, context);
  if (qualifier) return { outcome: 'guard-failed', rules: [qualifier] };
  return { outcome: 'accepted', toState: oneOf(targets) };
};

describe(evaluateEvent.name, () => {
  const sut = evaluateEvent;

  describe.each(STATE_FIXTURES)('in $name', ({ state, context }) => {
    it.each(EVENT_TYPES)('answers %s as SPEC.md says, for every actor relation', (type) => {
      const actual: Record<string, unknown> = {};
      const expected: Record<string, unknown> = {};
      for (const relation of ACTOR_RELATIONS) {
        const actor = actorFor(relation, context);
        if (!actor) continue;
        const result = sut(WORKFLOW_VERSION, state, context, sampleEvent(type, actor, context, { state }));
        actual[relation] =
          result.outcome === 'accepted'
            ? { outcome: result.outcome, toState: result.toState }
            : result.outcome === 'guard-failed'
              ? { outcome: result.outcome, rules: result.reasons.map((r) => r.rule) }
              : { outcome: result.outcome };
        expected[relation] = specOutcome(type, relation, state, context);
      }
      expect(actual).toEqual(expected);
    });
  });

  it('has a fixture for every state', () => {
    expect(new Set(STATE_FIXTURES.map((f) => f.state)).size).toBe(15);
  });

  it.each([
    ['INTAKE_PASSED with no auditors assigned', 'intake from draft', 'INTAKE_PASSED', 'awaiting_assignment'],
    ['INTAKE_PASSED with enough auditors still assigned', 'intake from changes_requested', 'INTAKE_PASSED', 'in_audit'],
    ['INTAKE_FAILED of a first submission', 'intake from draft', 'INTAKE_FAILED', 'draft'],
    ['INTAKE_FAILED of a resubmission', 'intake from changes_requested', 'INTAKE_FAILED', 'changes_requested'],
    ['ASSIGN_AUDITOR completing the required number', 'awaiting_assignment, one of two assigned', 'ASSIGN_AUDITOR', 'in_audit'],
    ['APPROVE, first of two sign-offs', 'in_audit, high tier', 'APPROVE', 'in_audit'],
    ['APPROVE, the only sign-off, no review', 'in_audit, low tier', 'APPROVE', 'cleared'],
    ['APPROVE, the second sign-off, review required', 'in_audit, one sign-off of two', 'APPROVE', 'regulator_review'],
    ['CLEAR without the sign-offs', 'regulator_review, flagged in audit', 'CLEAR', 'in_audit'],
    ['CLEAR with the sign-offs', 'regulator_review, review required', 'CLEAR', 'cleared'],
    ['CLEAR flagged while released', 'regulator_review, flagged while released', 'CLEAR', 'released'],
    ['AMEND of a case never released', 'held', 'AMEND', 'draft'],
    ['AMEND of a case once released', 'held, once released', 'AMEND', 'changes_requested'],
    ['AMEND of a reassessment after release', 'reassessment_required, released', 'AMEND', 'changes_requested'],
    ['AMEND of a reassessment before release', 'reassessment_required, base model flagged before release', 'AMEND', 'draft'],
  ] as const)('takes the right branch: %s', (_label, fixtureName, type, toState) => {
    const { state, context } = STATE_FIXTURES.find((f) => f.name === fixtureName)!;
    const actor = actorFor(SPEC_ACTORS[type][0]!, context)!;

    const result = sut(WORKFLOW_VERSION, state, context, sampleEvent(type, actor, context, { state }));

    expect(result).toMatchObject({ outcome: 'accepted', toState });
  });

  it('answers forbidden before invalid-transition, and invalid-transition before guard-failed', () => {
    const context = auditedContext({ released: true });
    const withdraw = sampleEvent('WITHDRAW', regulator, context);

    expect(sut(WORKFLOW_VERSION, 'regulator_review', context, withdraw).outcome).toBe('forbidden');
    expect(sut(WORKFLOW_VERSION, 'regulator_review', context, { ...withdraw, facts: { actor: developer } }).outcome).toBe(
      'invalid-transition',
    );
    expect(sut(WORKFLOW_VERSION, 'released', context, { ...withdraw, facts: { actor: developer } }).outcome).toBe('guard-failed');
  });
});

describe(allowedEvents.name, () => {
  const sut = allowedEvents;

  /** Payload-independent SPEC rules for the fixture's facts (no blocking findings, no conflict). */
  const specAllowed = (relation: ActorRelation, state: CaseState, context: CaseContext, actorId: string | null) =>
    EVENT_TYPES.filter(
      (type) =>
        !SPEC_ACTORS[type].includes('system') &&
        SPEC_ACTORS[type].includes(relation) &&
        SPEC_TRANSITIONS[type][state] !== undefined &&
        specQualifierFailure(type, state, context) === null &&
        !(
          type === 'APPROVE' &&
          (context.submittedBy === actorId ||
            context.signOffs.some((s) => s.auditorId === actorId && s.revisionHash === context.revisionHash))
        ),
    );

  describe.each(STATE_FIXTURES)('in $name', ({ state, context }) => {
    it.each(ACTOR_RELATIONS)('lists exactly what the %s may fire', (relation) => {
      const actor = actorFor(relation, context);
      if (!actor) return expect(actor).toBeNull();

      const events = sut(WORKFLOW_VERSION, state, context, { actor });

      expect(events).toEqual(specAllowed(relation, state, context, actor === 'system' ? null : actor.id));
    });
  });

  it('never lists a system event', () => {
    const systemEvents = EVENT_TYPES.filter((type) => SPEC_ACTORS[type].includes('system'));
    const listed = STATE_FIXTURES.flatMap(({ state, context }) =>
      ACTOR_RELATIONS.flatMap((relation) => {
        const actor = actorFor(relation, context);
        return actor ? sut(WORKFLOW_VERSION, state, context, { actor }) : [];
      }),
    );

    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((type) => systemEvents.includes(type))).toEqual([]);
  });

  it.each(SPEC_FINAL_STATES)('is empty in the final state %s for everyone', (state) => {
    const context = auditedContext({ released: true });
    for (const relation of ACTOR_RELATIONS) {
      expect([relation, sut(WORKFLOW_VERSION, state, context, { actor: actorFor(relation, context)! })]).toEqual([relation, []]);
    }
  });

  it.each(STATE_FIXTURES)('is empty for an admin in $name', ({ state, context }) => {
    expect(sut(WORKFLOW_VERSION, state, context, { actor: admin })).toEqual([]);
  });

  it('omits APPROVE when a payload-independent guard fails', () => {
    const context = auditedContext();
    expect(sut(WORKFLOW_VERSION, 'in_audit', context, { actor: auditorA })).toContain('APPROVE');

    expect(sut(WORKFLOW_VERSION, 'in_audit', context, { actor: auditorA, blockingFindings: 1 })).not.toContain('APPROVE');
    expect(sut(WORKFLOW_VERSION, 'in_audit', context, { actor: auditorA, actorConflicted: true })).not.toContain('APPROVE');
    expect(
      sut(WORKFLOW_VERSION, 'in_audit', auditedContext({ signOffs: [signOffOf(auditorA)] }), { actor: auditorA }),
    ).not.toContain('APPROVE');
    expect(
      sut(WORKFLOW_VERSION, 'in_audit', auditedContext({ signOffs: [signOffOf(auditorA)] }), { actor: auditorB }),
    ).toContain('APPROVE');
  });
});

describe(acceptsEvent.name, () => {
  it('looks through the audit parent and refuses in final states', () => {
    expect(acceptsEvent(WORKFLOW_VERSION, 'info_requested', 'PROVIDE_INFO')).toBe(true);
    expect(acceptsEvent(WORKFLOW_VERSION, 'info_requested', 'ADD_FINDING')).toBe(false);
    expect(acceptsEvent(WORKFLOW_VERSION, 'revoked', 'REVOKE')).toBe(false);
  });
});

describe(startCase.name, () => {
  it('starts a draft at revision 0 for the developer organisation', () => {
    expect(startCase('dev-org')).toEqual({
      workflowVersion: WORKFLOW_VERSION,
      state: 'draft',
      context: expect.objectContaining({ developerOrganisationId: 'dev-org', revision: 0, released: false }),
    });
  });
});

describe(leafState.name, () => {
  it('flattens the audit parent', () => {
    expect(leafState({ audit: 'info_requested' })).toBe('info_requested');
    expect(leafState('cleared')).toBe('cleared');
  });
});

describe(machineFor.name, () => {
  it('refuses an unknown definition version', () => {
    expect(() => machineFor('no-such-version')).toThrow('unknown workflow definition version no-such-version');
  });
});

describe(workflowEdges.name, () => {
  it('lists only states of the machine', () => {
    const states = new Set<string>(workflowEdges(WORKFLOW_VERSION).flatMap((e) => [e.from, e.to]));
    expect([...states].sort()).toEqual([...new Set(STATE_FIXTURES.map((f) => f.state))].sort());
  });
});

describe(workflowMermaid.name, () => {
  const sut = workflowMermaid;

  it('draws an edge for every transition of SPEC.md’s table', () => {
    const lines = sut(WORKFLOW_VERSION).split('\n');

    const missing = specEdges()
      .map((e) => `  ${e.from} --> ${e.to}: ${e.event}`)
      .filter((line) => !lines.includes(line));

    expect(lines[0]).toBe('stateDiagram-v2');
    expect(missing).toEqual([]);
  });

  it('draws no edge SPEC.md’s table lacks', () => {
    const drawn = sut(WORKFLOW_VERSION)
      .split('\n')
      .map((line) => /^  (\w+) --> (\w+): (\w+)$/.exec(line))
      .filter((match) => match !== null);

    const extra = drawn
      .filter(([, from, to, event]) => !SPEC_TRANSITIONS[event as CaseEventType][from as CaseState]?.includes(to as CaseState))
      .map(([line]) => line);

    expect(drawn.length).toBeGreaterThan(0);
    expect(extra).toEqual([]);
  });
});
