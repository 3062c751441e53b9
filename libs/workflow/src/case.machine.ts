import { and, assign, not, setup, type AnyStateMachine } from 'xstate';
import type { CaseContext, CaseEvent } from './case-context.js';
import { findingsRaised, initialCaseContext } from './case-context.js';
import { DeadlineKinds, ESCALATING_DEADLINES, type DeadlineKind } from './deadline-kinds.js';
import { CaseEvents } from './event-types.js';
import { actorMayFire } from './guards/actor-may-fire.util.js';
import { guardFailures } from './guards/event-guards.js';
import { CaseStates, type CaseState } from './states.js';

/** Bump when the machine changes; cases keep the version they were created with. */
export const WORKFLOW_VERSION = '1';

const userId = (event: CaseEvent): string | null => (event.facts.actor === 'system' ? null : event.facts.actor.id);
const signOffsOnCurrent = (context: CaseContext) =>
  context.signOffs.filter((s) => s.revisionHash === context.revisionHash).length;
const required = (context: CaseContext) => context.requirements?.signOffs ?? 1;
const deadlineKind = (event: CaseEvent): DeadlineKind | undefined => event.facts.deadline?.kind;

/** Branch conditions, as plain predicates so tests and the service can reuse them. */
export const branchConditions = {
  enoughValidAuditors: (context: CaseContext, event: CaseEvent) => {
    const valid = event.facts.validAuditorIds ?? context.assignments.map((a) => a.auditorId);
    const requirement = event.facts.requirements?.signOffs ?? required(context);
    return context.assignments.filter((a) => valid.includes(a.auditorId)).length >= requirement;
  },
  submittedFromChanges: (context: CaseContext) => context.submittedFrom === CaseStates.changes_requested,
  assignmentCompletes: (context: CaseContext) => context.assignments.length + 1 >= required(context),
  signOffCompletes: (context: CaseContext) => signOffsOnCurrent(context) + 1 >= required(context),
  signOffsComplete: (context: CaseContext) => signOffsOnCurrent(context) >= required(context),
  reviewRequired: (context: CaseContext) => context.requirements?.regulatorReview ?? false,
  flaggedWhileReleased: (context: CaseContext) => context.flaggedWhileReleased,
  released: (context: CaseContext) => context.released,
  deadlineEscalates: (context: CaseContext, event: CaseEvent) => {
    const kind = deadlineKind(event);
    if (!kind) return false;
    // For a case once released, lapsing and expiry escalate instead (SPEC.md, Deadlines).
    return ESCALATING_DEADLINES.includes(kind) || (context.released && kind !== DeadlineKinds.reassessment);
  },
};

const deadline = (type: 'openDeadline' | 'closeDeadline' | 'pauseDeadline' | 'resumeDeadline', kind: DeadlineKind) => ({
  type,
  params: { kind },
});
const valid = (state: CaseState) => ({ type: 'valid' as const, params: { state } });

interface Edge {
  guard?: unknown;
  target?: string;
  actions?: unknown;
}

/**
 * Puts the catalog's check (actor rule, then the event's guards, with `state` among their facts)
 * in front of every edge leaving `state`, so the machine writes only its branch conditions.
 */
const guarded = <const T extends Record<string, Edge | readonly Edge[]>>(state: CaseState, edges: T): T => {
  const withValid = (edge: Edge): Edge => ({
    ...edge,
    guard: edge.guard === undefined ? valid(state) : and([valid(state), edge.guard as never]),
  });
  const mapped = Object.entries(edges).map(([event, edge]) => [event, isEdgeList(edge) ? edge.map(withValid) : withValid(edge)]);
  // Same keys and edges; only each guard is widened to include the catalog's check.
  return Object.fromEntries(mapped) as T;
};

const isEdgeList = (edge: Edge | readonly Edge[]): edge is readonly Edge[] => Array.isArray(edge);

/**
 * The case workflow of SPEC.md. Pure: guards read only context and event (facts
 * loaded by the transition service); deadlines and jobs are returned as actions.
 * `in_audit` and `info_requested` share a parent so the audit deadline spans both.
 */
export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
    input: {} as { developerOrganisationId: string },
  },
  guards: {
    valid: ({ context, event }, params: { state: CaseState }) =>
      actorMayFire(event.type, event.facts.actor, context) && guardFailures(params.state, context, event).length === 0,
    enoughValidAuditors: ({ context, event }) => branchConditions.enoughValidAuditors(context, event),
    submittedFromChanges: ({ context }) => branchConditions.submittedFromChanges(context),
    assignmentCompletes: ({ context }) => branchConditions.assignmentCompletes(context),
    signOffCompletes: ({ context }) => branchConditions.signOffCompletes(context),
    signOffsComplete: ({ context }) => branchConditions.signOffsComplete(context),
    reviewRequired: ({ context }) => branchConditions.reviewRequired(context),
    flaggedWhileReleased: ({ context }) => branchConditions.flaggedWhileReleased(context),
    released: ({ context }) => branchConditions.released(context),
    deadlineEscalates: ({ context, event }) => branchConditions.deadlineEscalates(context, event),
  },
  actions: {
    // Effects: no-ops here; the transition service turns them into rows and outbox entries.
    openDeadline: (_, _params: { kind: DeadlineKind }) => {},
    closeDeadline: (_, _params: { kind: DeadlineKind }) => {},
    pauseDeadline: (_, _params: { kind: DeadlineKind }) => {},
    resumeDeadline: (_, _params: { kind: DeadlineKind }) => {},
    escalateDeadline: () => {},
    requestIntake: () => {},
    recordRevision: assign(({ context, event }, params: { from: CaseState }) => ({
      revision: context.revision + 1,
      revisionHash: event.facts.revisionHash ?? null,
      submittedBy: userId(event),
      submittedFrom: params.from,
      // Sign-offs are sealed to one revision: a new one, even with an equal hash, needs its own.
      signOffs: [],
    })),
    applyIntakePass: assign(({ context, event }) => {
      const valid = event.facts.validAuditorIds ?? context.assignments.map((a) => a.auditorId);
      const dropped = context.assignments.filter((a) => !valid.includes(a.auditorId)).map((a) => a.auditorId);
      return {
        requirements: event.facts.requirements ?? context.requirements,
        assignments: context.assignments.filter((a) => valid.includes(a.auditorId)),
        vacated: [...context.vacated, ...dropped],
      };
    }),
    addAssignment: assign(({ context, event }) => {
      const to = event.facts.candidate!;
      // A new auditor takes the oldest vacated seat, and with it the findings raised from it.
      const [from, ...vacated] = context.vacated;
      return {
        assignments: [...context.assignments, { auditorId: to.id, auditFirmId: to.organisationId ?? '' }],
        replacements: from ? [...context.replacements, { from, to: to.id }] : context.replacements,
        vacated,
      };
    }),
    reassign: assign(({ context, event }) => {
      const from = String(event.payload.fromAuditorId);
      const to = event.facts.candidate!;
      return {
        assignments: context.assignments.map((a) =>
          a.auditorId === from ? { auditorId: to.id, auditFirmId: to.organisationId ?? '' } : a,
        ),
        replacements: [...context.replacements, { from, to: to.id }],
        signOffs: context.signOffs.filter((s) => s.auditorId !== from),
      };
    }),
    unassignActor: assign(({ context, event }) => ({
      assignments: context.assignments.filter((a) => a.auditorId !== userId(event)),
      signOffs: context.signOffs.filter((s) => s.auditorId !== userId(event)),
      vacated: [...context.vacated, userId(event)!],
    })),
    recordSignOff: assign(({ context, event }) => {
      const assignment = context.assignments.find((a) => a.auditorId === userId(event))!;
      return { signOffs: [...context.signOffs, { ...assignment, revisionHash: context.revisionHash ?? '' }] };
    }),
    recordFlag: assign(({ context, event }, params: { whileReleased: boolean }) => ({
      // A flag's opinion replaces the flagger's opinion on that revision.
      signOffs:
        event.payload.opinion === undefined
          ? context.signOffs
          : context.signOffs.filter((s) => !(s.auditorId === userId(event) && s.revisionHash === context.revisionHash)),
      flaggedWhileReleased: context.flaggedWhileReleased || params.whileReleased,
    })),
    endReview: assign({ flaggedWhileReleased: false }),
    markReleased: assign({ released: true }),
    countFinding: assign(({ context }) => ({ findingCount: findingsRaised(context) + 1 })),
  },
}).createMachine({
  id: 'case',
  initial: CaseStates.draft,
  context: ({ input }) => initialCaseContext(input.developerOrganisationId),
  states: {
    [CaseStates.draft]: {
      id: CaseStates.draft,
      on: guarded(CaseStates.draft, {
        [CaseEvents.SUBMIT]: {
          target: `#${CaseStates.intake}`,
          actions: { type: 'recordRevision', params: { from: CaseStates.draft } },
        },
        [CaseEvents.WITHDRAW]: { target: `#${CaseStates.withdrawn}` },
      }),
    },
    [CaseStates.intake]: {
      id: CaseStates.intake,
      entry: 'requestIntake',
      on: guarded(CaseStates.intake, {
        [CaseEvents.INTAKE_PASSED]: [
          {
            guard: 'enoughValidAuditors',
            target: `#${CaseStates.in_audit}`,
            actions: 'applyIntakePass',
          },
          { target: `#${CaseStates.awaiting_assignment}`, actions: 'applyIntakePass' },
        ],
        [CaseEvents.INTAKE_FAILED]: [
          {
            guard: 'submittedFromChanges',
            target: `#${CaseStates.changes_requested}`,
          },
          { target: `#${CaseStates.draft}` },
        ],
        [CaseEvents.WITHDRAW]: { target: `#${CaseStates.withdrawn}` },
      }),
    },
    [CaseStates.awaiting_assignment]: {
      id: CaseStates.awaiting_assignment,
      entry: deadline('openDeadline', DeadlineKinds.assignment),
      exit: deadline('closeDeadline', DeadlineKinds.assignment),
      on: guarded(CaseStates.awaiting_assignment, {
        [CaseEvents.ASSIGN_AUDITOR]: [
          {
            guard: 'assignmentCompletes',
            target: `#${CaseStates.in_audit}`,
            actions: 'addAssignment',
          },
          { actions: 'addAssignment' },
        ],
        [CaseEvents.WITHDRAW]: { target: `#${CaseStates.withdrawn}` },
        [CaseEvents.DEADLINE_PASSED]: {
          guard: 'deadlineEscalates',
          actions: 'escalateDeadline',
        },
      }),
    },
    audit: {
      initial: CaseStates.in_audit,
      entry: deadline('openDeadline', DeadlineKinds.audit),
      exit: deadline('closeDeadline', DeadlineKinds.audit),
      states: {
        [CaseStates.in_audit]: {
          id: CaseStates.in_audit,
          on: guarded(CaseStates.in_audit, {
            [CaseEvents.REASSIGN_AUDITOR]: { actions: 'reassign' },
            [CaseEvents.DECLARE_CONFLICT]: {
              target: `#${CaseStates.awaiting_assignment}`,
              actions: 'unassignActor',
            },
            [CaseEvents.ADD_FINDING]: { actions: 'countFinding' },
            [CaseEvents.RESOLVE_FINDING]: {},
            [CaseEvents.RESPOND_FINDING]: {},
            [CaseEvents.REQUEST_INFO]: { target: `#${CaseStates.info_requested}` },
            [CaseEvents.REQUEST_CHANGES]: {
              target: `#${CaseStates.changes_requested}`,
            },
            [CaseEvents.APPROVE]: [
              {
                guard: and(['signOffCompletes', 'reviewRequired']),
                target: `#${CaseStates.regulator_review}`,
                actions: 'recordSignOff',
              },
              {
                guard: 'signOffCompletes',
                target: `#${CaseStates.cleared}`,
                actions: 'recordSignOff',
              },
              { actions: 'recordSignOff' },
            ],
            [CaseEvents.FLAG]: {
              target: `#${CaseStates.regulator_review}`,
              actions: { type: 'recordFlag', params: { whileReleased: false } },
            },
            [CaseEvents.WITHDRAW]: { target: `#${CaseStates.withdrawn}` },
            [CaseEvents.DEADLINE_PASSED]: {
              guard: 'deadlineEscalates',
              actions: 'escalateDeadline',
            },
          }),
        },
        [CaseStates.info_requested]: {
          id: CaseStates.info_requested,
          entry: [deadline('pauseDeadline', DeadlineKinds.audit), deadline('openDeadline', DeadlineKinds.info_response)],
          exit: [deadline('closeDeadline', DeadlineKinds.info_response), deadline('resumeDeadline', DeadlineKinds.audit)],
          on: guarded(CaseStates.info_requested, {
            [CaseEvents.REASSIGN_AUDITOR]: { actions: 'reassign' },
            [CaseEvents.DECLARE_CONFLICT]: {
              target: `#${CaseStates.awaiting_assignment}`,
              actions: 'unassignActor',
            },
            [CaseEvents.RESPOND_FINDING]: {},
            [CaseEvents.PROVIDE_INFO]: { target: `#${CaseStates.in_audit}` },
            [CaseEvents.FLAG]: {
              target: `#${CaseStates.regulator_review}`,
              actions: { type: 'recordFlag', params: { whileReleased: false } },
            },
            [CaseEvents.WITHDRAW]: { target: `#${CaseStates.withdrawn}` },
            [CaseEvents.DEADLINE_PASSED]: [
              {
                guard: 'deadlineEscalates',
                actions: 'escalateDeadline',
              },
              { target: `#${CaseStates.lapsed}` },
            ],
          }),
        },
      },
    },
    [CaseStates.changes_requested]: {
      id: CaseStates.changes_requested,
      entry: deadline('openDeadline', DeadlineKinds.changes_response),
      exit: deadline('closeDeadline', DeadlineKinds.changes_response),
      on: guarded(CaseStates.changes_requested, {
        [CaseEvents.RESPOND_FINDING]: {},
        [CaseEvents.RESUBMIT]: {
          target: `#${CaseStates.intake}`,
          actions: { type: 'recordRevision', params: { from: CaseStates.changes_requested } },
        },
        [CaseEvents.WITHDRAW]: { target: `#${CaseStates.withdrawn}` },
        [CaseEvents.DEADLINE_PASSED]: [
          {
            guard: 'deadlineEscalates',
            actions: 'escalateDeadline',
          },
          { target: `#${CaseStates.lapsed}` },
        ],
      }),
    },
    [CaseStates.regulator_review]: {
      id: CaseStates.regulator_review,
      entry: deadline('openDeadline', DeadlineKinds.review),
      exit: deadline('closeDeadline', DeadlineKinds.review),
      on: guarded(CaseStates.regulator_review, {
        [CaseEvents.CLEAR]: [
          {
            guard: 'flaggedWhileReleased',
            target: `#${CaseStates.released}`,
            actions: 'endReview',
          },
          {
            guard: 'signOffsComplete',
            target: `#${CaseStates.cleared}`,
            actions: 'endReview',
          },
          { target: `#${CaseStates.in_audit}`, actions: 'endReview' },
        ],
        [CaseEvents.REQUIRE_CHANGES]: {
          target: `#${CaseStates.changes_requested}`,
          actions: 'endReview',
        },
        [CaseEvents.HOLD]: {
          target: `#${CaseStates.held}`,
          actions: 'endReview',
        },
        [CaseEvents.REQUIRE_REASSESSMENT]: {
          target: `#${CaseStates.reassessment_required}`,
          actions: 'endReview',
        },
        [CaseEvents.REVOKE]: { target: `#${CaseStates.revoked}` },
        [CaseEvents.DEADLINE_PASSED]: {
          guard: 'deadlineEscalates',
          actions: 'escalateDeadline',
        },
      }),
    },
    [CaseStates.cleared]: {
      id: CaseStates.cleared,
      entry: deadline('openDeadline', DeadlineKinds.clearance_validity),
      exit: deadline('closeDeadline', DeadlineKinds.clearance_validity),
      on: guarded(CaseStates.cleared, {
        [CaseEvents.DECLARE_CONFLICT]: {
          target: `#${CaseStates.awaiting_assignment}`,
          actions: 'unassignActor',
        },
        [CaseEvents.FLAG]: {
          target: `#${CaseStates.regulator_review}`,
          actions: { type: 'recordFlag', params: { whileReleased: false } },
        },
        [CaseEvents.HOLD]: { target: `#${CaseStates.held}` },
        [CaseEvents.RECORD_RELEASE]: {
          target: `#${CaseStates.released}`,
          actions: 'markReleased',
        },
        [CaseEvents.REVOKE]: { target: `#${CaseStates.revoked}` },
        [CaseEvents.WITHDRAW]: { target: `#${CaseStates.withdrawn}` },
        [CaseEvents.DEADLINE_PASSED]: [
          { guard: 'deadlineEscalates', actions: 'escalateDeadline' },
          { target: `#${CaseStates.expired}` },
        ],
        [CaseEvents.BASE_MODEL_FLAGGED]: {
          target: `#${CaseStates.reassessment_required}`,
        },
      }),
    },
    [CaseStates.released]: {
      id: CaseStates.released,
      entry: deadline('openDeadline', DeadlineKinds.reassessment),
      exit: deadline('closeDeadline', DeadlineKinds.reassessment),
      on: guarded(CaseStates.released, {
        [CaseEvents.FLAG]: {
          target: `#${CaseStates.regulator_review}`,
          actions: { type: 'recordFlag', params: { whileReleased: true } },
        },
        [CaseEvents.REQUIRE_REASSESSMENT]: {
          target: `#${CaseStates.reassessment_required}`,
        },
        [CaseEvents.REVOKE]: { target: `#${CaseStates.revoked}` },
        [CaseEvents.WITHDRAW]: { target: `#${CaseStates.withdrawn}` },
        [CaseEvents.DEADLINE_PASSED]: {
          guard: not('deadlineEscalates'),
          target: `#${CaseStates.reassessment_required}`,
        },
        [CaseEvents.BASE_MODEL_FLAGGED]: {
          target: `#${CaseStates.reassessment_required}`,
        },
      }),
    },
    [CaseStates.reassessment_required]: {
      id: CaseStates.reassessment_required,
      entry: deadline('openDeadline', DeadlineKinds.changes_response),
      exit: deadline('closeDeadline', DeadlineKinds.changes_response),
      on: guarded(CaseStates.reassessment_required, {
        [CaseEvents.AMEND]: [
          {
            guard: 'released',
            target: `#${CaseStates.changes_requested}`,
          },
          { target: `#${CaseStates.draft}` },
        ],
        [CaseEvents.WITHDRAW]: { target: `#${CaseStates.withdrawn}` },
        [CaseEvents.DEADLINE_PASSED]: [
          {
            guard: 'deadlineEscalates',
            actions: 'escalateDeadline',
          },
          { target: `#${CaseStates.lapsed}` },
        ],
      }),
    },
    [CaseStates.held]: {
      id: CaseStates.held,
      on: guarded(CaseStates.held, {
        [CaseEvents.AMEND]: [
          { guard: 'released', target: `#${CaseStates.changes_requested}` },
          { target: `#${CaseStates.draft}` },
        ],
        [CaseEvents.WITHDRAW]: { target: `#${CaseStates.withdrawn}` },
      }),
    },
    [CaseStates.withdrawn]: { id: CaseStates.withdrawn, type: 'final' },
    [CaseStates.lapsed]: { id: CaseStates.lapsed, type: 'final' },
    [CaseStates.expired]: { id: CaseStates.expired, type: 'final' },
    [CaseStates.revoked]: { id: CaseStates.revoked, type: 'final' },
  },
});

/** Every definition version stays runnable for the cases pinned to it. */
export const WORKFLOW_DEFINITIONS: Record<string, AnyStateMachine> = { [WORKFLOW_VERSION]: caseMachine };
