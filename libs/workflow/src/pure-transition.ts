import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';

type AnySnapshot = AnyMachineSnapshot;
type Action = { type: string; params?: unknown };

interface Scope {
  scope: AnyActorScope;
  /** Where the action executor puts the actions of the call under way. */
  actions: Action[];
}

const noop = (): void => undefined;
const scopes = new WeakMap<AnyStateMachine, Scope>();

/**
 * One inert actor scope per machine, built once. xstate's own `transition()` and
 * `initialTransition()` build one per call (`createInertActorScope`: a whole actor, whose
 * constructor also computes the machine's initial snapshot), which was most of an
 * evaluation's cost. The scope is inert as xstate's is: nothing deferred, emitted, logged
 * or stopped; the machine spawns and invokes nothing, so no system holds state between calls.
 */
const scopeFor = (machine: AnyStateMachine): Scope => {
  let held = scopes.get(machine);
  if (!held) {
    // Built as xstate builds its inert actor (without input: the snapshot it computes is never used).
    const self = createActor(machine);
    const state: Scope = {
      actions: [],
      scope: {
        self,
        id: '',
        sessionId: '',
        logger: noop,
        defer: noop,
        emit: noop,
        stopChild: noop,
        system: self.system,
        actionExecutor: (action) => state.actions.push(action as Action),
      } as AnyActorScope,
    };
    held = state;
    scopes.set(machine, held);
  }
  held.actions = [];
  return held;
};

/** xstate's `transition(machine, snapshot, event)`: the next snapshot and the actions to execute, none executed. */
export const pureTransition = <TSnapshot extends AnySnapshot>(machine: AnyStateMachine, snapshot: TSnapshot, event: EventObject): [TSnapshot, Action[]] => {
  const held = scopeFor(machine);
  const next = machine.transition(snapshot, event, held.scope) as TSnapshot;
  return [next, held.actions];
};

/** xstate's `initialTransition(machine, input)`: the initial snapshot and its actions, none executed. */
export const pureInitialTransition = (machine: AnyStateMachine, input: unknown): [AnySnapshot, Action[]] => {
  const held = scopeFor(machine);
  const initial = machine.getInitialSnapshot(held.scope, input) as AnySnapshot;
  return [initial, held.actions];
};
