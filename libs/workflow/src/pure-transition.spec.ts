import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { caseMachine } from './case.machine.js';
import { EVENT_TYPES } from './event-types.js';
import { pureInitialTransition, pureTransition } from './pure-transition.js';
import { actorFor, sampleEvent, STATE_FIXTURES } from './testing/case.fixture.js';
import { ACTOR_RELATIONS } from './testing/spec-workflow.fixture.js';

type Step = [AnyMachineSnapshot, Array<{ type: string; params?: unknown }>];

/** The parts of a step the workflow uses: the snapshot's value, context and status, and the actions it asks for. */
const summary = (step: () => Step) => {
  try {
    const [snapshot, actions] = step();
    return { value: snapshot.value, context: snapshot.context, status: snapshot.status, actions: actions.map(({ type, params }) => ({ type, params })) };
  } catch (error) {
    return { threw: String(error) };
  }
};

const AUDIT_CHILDREN = ['in_audit', 'info_requested'];

describe('pureTransition', () => {
  it('answers what xstate’s initialTransition answers, call after call', () => {
    for (const organisation of ['org-a', 'org-b', 'org-a'])
      expect(summary(() => pureInitialTransition(caseMachine, { developerOrganisationId: organisation }))).toEqual(
        summary(() => initialTransition(caseMachine, { developerOrganisationId: organisation }) as Step),
      );
  });

  it('answers what xstate’s transition answers for every fixture state, event and actor, twice over', () => {
    let accepted = 0;
    for (let round = 0; round < 2; round++)
      for (const fixture of STATE_FIXTURES) {
        const value = AUDIT_CHILDREN.includes(fixture.state) ? { audit: fixture.state } : fixture.state;
        const snapshot = caseMachine.resolveState({ value, context: fixture.context });
        for (const type of EVENT_TYPES)
          for (const relation of ACTOR_RELATIONS) {
            const actor = actorFor(relation, fixture.context);
            if (!actor) continue;
            const event = sampleEvent(type, actor, fixture.context, { state: fixture.state });
            const ours = summary(() => pureTransition(caseMachine, snapshot, event));
            expect({ fixture: fixture.name, type, relation, ...ours }).toEqual({
              fixture: fixture.name,
              type,
              relation,
              ...summary(() => transition(caseMachine, snapshot, event as never) as Step),
            });
            if ('value' in ours && JSON.stringify(ours.value) !== JSON.stringify(value)) accepted++;
          }
      }
    // The comparison covers steps that move, not only refusals that leave the snapshot alone.
    expect(accepted).toBeGreaterThan(20);
  });
});
