import { describe, expect, it } from '@jest/globals';
import { getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import { transition, type SnapshotFrom } from 'xstate';
import type { CaseContext, CaseEvent } from './case-context.js';
import { caseMachine, WORKFLOW_VERSION } from './case.machine.js';
import { EVENT_TYPES } from './event-types.js';
import { CASE_STATES } from './states.js';
import {
  actorFor,
  auditorA,
  auditorB,
  candidateOf,
  DEV_ORG,
  HIGH_TIER,
  LOW_TIER,
  regulator,
  sampleEvent,
} from './testing/case.fixture.js';
import { SPEC_ACTORS, specEdges } from './testing/spec-workflow.fixture.js';
import { evaluateEvent, leafState, startCase } from './workflow.js';

type Snapshot = SnapshotFrom<typeof caseMachine>;

/**
 * Concrete events for a snapshot: every event type, fired by each actor SPEC.md's
 * column admits, with facts for the fixture case; INTAKE_PASSED in both tiers of the
 * pack (one sign-off, no review; two sign-offs, review), ASSIGN_AUDITOR and APPROVE
 * for each of two auditors from distinct firms.
 */
const eventsFor = (snapshot: Snapshot): CaseEvent[] => {
  const context = snapshot.context;
  const state = leafState(snapshot.value);
  return EVENT_TYPES.flatMap((type): CaseEvent[] => {
    switch (type) {
      case 'INTAKE_PASSED':
        return [LOW_TIER, HIGH_TIER].map((requirements) => sampleEvent(type, 'system', context, { requirements }));
      case 'ASSIGN_AUDITOR':
        return [auditorA, auditorB].map((auditor) => ({
          type,
          payload: { auditorId: auditor.id },
          facts: { actor: regulator, candidate: candidateOf(auditor) },
        }));
      case 'APPROVE':
      case 'DECLARE_CONFLICT':
        return [auditorA, auditorB].map((auditor) => sampleEvent(type, auditor, context));
      case 'FLAG':
        return [regulator, auditorA].map((actor) => sampleEvent(type, actor, context));
      case 'REASSIGN_AUDITOR':
        // One replacement per case is enough to cover the edge; more would only multiply states.
        return context.replacements.length === 0 ? [sampleEvent(type, regulator, context)] : [];
      default: {
        const actor = actorFor(SPEC_ACTORS[type][0]!, context);
        return actor ? [sampleEvent(type, actor, context, { state })] : [];
      }
    }
  });
};

/** What distinguishes states for the workflow's branches; revision numbers and hashes do not. */
const serializeState = (snapshot: Snapshot): string => {
  const c: CaseContext = snapshot.context;
  return JSON.stringify([
    leafState(snapshot.value),
    c.requirements?.signOffs ?? null,
    c.assignments.map((a) => a.auditorId).sort(),
    c.signOffs.filter((s) => s.revisionHash === c.revisionHash).map((s) => s.auditorId).sort(),
    c.submittedFrom,
    c.released,
    c.flaggedWhileReleased,
  ]);
};

const traversal = {
  input: { developerOrganisationId: DEV_ORG },
  events: eventsFor,
  serializeState,
};

let shortestPaths: ReturnType<typeof getShortestPaths<typeof caseMachine>> | undefined;
const paths = () => (shortestPaths ??= getShortestPaths(caseMachine, traversal));

describe('caseMachine', () => {
  it('reaches every case state from draft', () => {
    const reached = new Set(paths().map((path) => leafState(path.state.value)));

    expect([...reached].sort()).toEqual([...CASE_STATES].sort());
  });

  it('reaches every state by replaying its path through evaluateEvent, as the transition service would', () => {
    const ends: string[] = [];

    for (const path of paths()) {
      let { state, context } = startCase(DEV_ORG);
      for (const { event } of path.steps.slice(1)) {
        const result = evaluateEvent(WORKFLOW_VERSION, state, context, event);
        if (result.outcome !== 'accepted') throw new Error(`${state} ${event.type}: ${result.outcome}`);
        ({ toState: state, context } = result);
      }
      ends.push(state);
    }

    expect(ends.sort()).toEqual(paths().map((path) => leafState(path.state.value)).sort());
    expect(new Set(ends).size).toBe(CASE_STATES.length);
  });

  it('takes exactly the transitions of SPEC.md’s table, each branch included', () => {
    const adjacency = getAdjacencyMap(caseMachine, traversal);
    const taken = new Set<string>();
    const disagreements: string[] = [];

    for (const { state: snapshot } of Object.values(adjacency)) {
      const from = leafState(snapshot.value);
      for (const event of eventsFor(snapshot)) {
        const result = evaluateEvent(WORKFLOW_VERSION, from, snapshot.context, event);
        if (result.outcome !== 'accepted') continue;
        taken.add(`${from} --${event.type}--> ${result.toState}`);
        // The pure transition and evaluateEvent must agree on where the case goes.
        const next = leafState(transition(caseMachine, snapshot, event)[0].value);
        if (next !== result.toState) disagreements.push(`${from} ${event.type}: ${next} vs ${result.toState}`);
      }
    }

    // Both tiers of the pack: each APPROVE and CLEAR branch is taken.
    expect([...taken].filter((edge) => /--(APPROVE|CLEAR)-->/.test(edge)).sort()).toEqual([
      'in_audit --APPROVE--> cleared',
      'in_audit --APPROVE--> in_audit',
      'in_audit --APPROVE--> regulator_review',
      'regulator_review --CLEAR--> cleared',
      'regulator_review --CLEAR--> in_audit',
      'regulator_review --CLEAR--> released',
    ]);
    const spec = new Set(specEdges().map((e) => `${e.from} --${e.event}--> ${e.to}`));
    expect(disagreements).toEqual([]);
    expect([...taken].filter((edge) => !spec.has(edge)).sort()).toEqual([]);
    expect([...spec].filter((edge) => !taken.has(edge)).sort()).toEqual([]);
  });
});
