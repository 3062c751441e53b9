import { type AnyStateMachine, type AnyStateNode, type StateValue } from 'xstate';
import type { CaseContext, CaseEvent, EventFacts } from './case-context.js';
import { WORKFLOW_DEFINITIONS, WORKFLOW_VERSION } from './case.machine.js';
import { effectsFromActions, type Effect } from './effects.js';
import { EVENT_TYPES, SYSTEM_EVENT_TYPES, type CaseEventType } from './event-types.js';
import { actorMayFire } from './guards/actor-may-fire.util.js';
import { guardFailures, payloadIndependentFailures, type GuardFailure } from './guards/event-guards.js';
import { pureInitialTransition, pureTransition } from './pure-transition.js';
import { CASE_STATES, isFinalState, type CaseState } from './states.js';

/** States nested under the audit parent (one audit deadline spans both). */
const AUDIT_CHILDREN: readonly CaseState[] = ['in_audit', 'info_requested'];

export const machineFor = (workflowVersion: string): AnyStateMachine => {
  const machine = WORKFLOW_DEFINITIONS[workflowVersion];
  if (!machine) throw new Error(`unknown workflow definition version ${workflowVersion}`);
  return machine;
};

const stateValueOf = (state: CaseState): StateValue => (AUDIT_CHILDREN.includes(state) ? { audit: state } : state);

/** The flat state name SPEC.md uses, from xstate's (possibly nested) value. */
export const leafState = (value: StateValue): CaseState => {
  let current: StateValue = value;
  while (typeof current !== 'string') current = Object.values(current)[0] as StateValue;
  return current as CaseState;
};

const snapshotOf = (workflowVersion: string, state: CaseState, context: CaseContext) =>
  machineFor(workflowVersion).resolveState({ value: stateValueOf(state), context });

/** A new case: the initial state and context of the current definition. */
export const startCase = (developerOrganisationId: string) => {
  const [snapshot] = pureInitialTransition(caseMachineCurrent(), { developerOrganisationId });
  return { workflowVersion: WORKFLOW_VERSION, state: leafState(snapshot.value), context: snapshot.context as CaseContext };
};

const caseMachineCurrent = () => machineFor(WORKFLOW_VERSION);

/** Whether the state takes the event at all, guards aside (409 invalid-transition when not). */
export const acceptsEvent = (workflowVersion: string, state: CaseState, type: CaseEventType): boolean => {
  if (isFinalState(state)) return false;
  for (let node: AnyStateNode | undefined = machineFor(workflowVersion).getStateNodeById(state); node; node = node.parent) {
    if (node.config.on && type in node.config.on) return true;
  }
  return false;
};

export type Evaluation =
  | { outcome: 'forbidden' }
  | { outcome: 'invalid-transition' }
  | { outcome: 'guard-failed'; reasons: GuardFailure[] }
  | { outcome: 'accepted'; toState: CaseState; context: CaseContext; effects: Effect[] };

/**
 * Runs one event through the pure machine, answering why it is refused in SPEC.md's
 * order (actor, then state, then guards) or what it leads to.
 */
export const evaluateEvent = (
  workflowVersion: string,
  state: CaseState,
  context: CaseContext,
  event: CaseEvent,
): Evaluation => {
  if (!actorMayFire(event.type, event.facts.actor, context)) return { outcome: 'forbidden' };
  if (!acceptsEvent(workflowVersion, state, event.type)) return { outcome: 'invalid-transition' };
  const reasons = guardFailures(state, context, event);
  if (reasons.length > 0) return { outcome: 'guard-failed', reasons };
  const machine = machineFor(workflowVersion);
  const [next, actions] = pureTransition(machine, snapshotOf(workflowVersion, state, context), event);
  return {
    outcome: 'accepted',
    toState: leafState(next.value),
    context: next.context as CaseContext,
    effects: effectsFromActions(actions),
  };
};

/** Event types the caller may fire now, judged without a payload; system events never appear. */
export const allowedEvents = (
  workflowVersion: string,
  state: CaseState,
  context: CaseContext,
  facts: EventFacts,
): CaseEventType[] =>
  EVENT_TYPES.filter((type) => {
    if (SYSTEM_EVENT_TYPES.includes(type)) return false;
    if (!actorMayFire(type, facts.actor, context)) return false;
    if (!acceptsEvent(workflowVersion, state, type)) return false;
    return payloadIndependentFailures(state, context, { type, payload: {}, facts }).length === 0;
  });

/** Every (from, event, to) edge of a definition, for docs and the Mermaid diagram. */
export const workflowEdges = (workflowVersion: string) => {
  const machine = machineFor(workflowVersion);
  const edges: Array<{ from: CaseState; event: CaseEventType; to: CaseState }> = [];
  for (const state of CASE_STATES) {
    const node = machine.getStateNodeById(state);
    for (const [event, definitions] of node.transitions) {
      for (const definition of definitions) {
        const to = definition.target?.[0]?.id as CaseState | undefined;
        const key = { from: state, event: event as CaseEventType, to: to ?? state };
        if (!edges.some((e) => e.from === key.from && e.event === key.event && e.to === key.to)) edges.push(key);
      }
    }
  }
  return edges;
};

export const workflowMermaid = (workflowVersion: string): string => {
  const lines = ['stateDiagram-v2', `  [*] --> draft`];
  for (const edge of workflowEdges(workflowVersion)) lines.push(`  ${edge.from} --> ${edge.to}: ${edge.event}`);
  for (const state of CASE_STATES.filter(isFinalState)) lines.push(`  ${state} --> [*]`);
  return lines.join('\n');
};
