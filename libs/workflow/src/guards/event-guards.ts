import type { CaseContext, CaseEvent, UserActor } from '../case-context.js';
import { CaseEvents, type CaseEventType } from '../event-types.js';
import { STATE_DEADLINE } from '../deadline-kinds.js';
import { CaseStates, type CaseState } from '../states.js';
import { isAssigned } from './actor-may-fire.util.js';

export interface GuardFailure {
  rule: string;
  message: string;
}

interface GuardRule {
  rule: string;
  /** Evaluable without the payload, so it decides allowedEvents too. */
  payloadIndependent?: boolean;
  /** Returns null when the rule holds, else the failure message. */
  check(context: CaseContext, event: CaseEvent, state: CaseState): string | null;
}

const userOf = (event: CaseEvent): UserActor | null => (event.facts.actor === 'system' ? null : event.facts.actor);
const str = (event: CaseEvent, key: string): string | undefined => {
  const value = event.payload[key];
  return typeof value === 'string' ? value : undefined;
};

const currentRevision: GuardRule = {
  rule: 'current-revision',
  check: (context, event) =>
    event.payload.revision === context.revision ? null : `revision ${String(event.payload.revision)} is not the current revision ${context.revision}`,
};

const candidateRules = (replacing?: (event: CaseEvent) => string | undefined): GuardRule[] => [
  {
    rule: 'auditor-exists',
    check: (_c, event) =>
      event.facts.candidate && event.facts.candidate.role === 'auditor' ? null : 'the named user is not an auditor',
  },
  {
    rule: 'auditor-independent',
    check: (context, event) => {
      const candidate = event.facts.candidate;
      if (!candidate) return null;
      if (candidate.organisationId === context.developerOrganisationId) return 'the auditor belongs to the developer organisation';
      return candidate.conflicted ? 'an active conflict of interest covers this auditor for the developer' : null;
    },
  },
  {
    rule: 'not-already-assigned',
    check: (context, event) =>
      event.facts.candidate && isAssigned(context, event.facts.candidate.id) ? 'the auditor is already assigned' : null,
  },
  {
    rule: 'distinct-firm',
    check: (context, event) => {
      const candidate = event.facts.candidate;
      if (!candidate) return null;
      const from = replacing?.(event);
      const clash = context.assignments.some((a) => a.auditorId !== from && a.auditFirmId === candidate.organisationId);
      return clash ? 'an auditor from the same firm is already assigned; sign-offs must come from distinct firms' : null;
    },
  },
];

const findingRules = (requireRaiser: boolean): GuardRule[] => [
  { rule: 'finding-exists', check: (_c, event) => (event.facts.finding ? null : 'no such finding on this case') },
  {
    rule: 'finding-not-resolved',
    check: (_c, event) => (event.facts.finding?.status === 'resolved' ? 'the finding is already resolved' : null),
  },
  ...(requireRaiser
    ? [
        {
          rule: 'raised-by-actor',
          check: (context: CaseContext, event: CaseEvent) => {
            const finding = event.facts.finding;
            const actor = userOf(event);
            if (!finding || !actor) return null;
            return raiserOrReplacement(context, finding.raisedBy, actor.id)
              ? null
              : 'only the auditor who raised the finding, or their replacement, resolves it';
          },
        },
      ]
    : []),
];

/** True when `userId` raised the finding or replaced (transitively) the auditor who did. */
export const raiserOrReplacement = (context: CaseContext, raisedBy: string, userId: string): boolean => {
  let current = raisedBy;
  for (let hops = 0; hops <= context.replacements.length; hops++) {
    if (current === userId) return true;
    const next = context.replacements.find((r) => r.from === current);
    if (!next) return false;
    current = next.to;
  }
  return false;
};

const revisionHashKnown: GuardRule = {
  rule: 'revision-hash-known',
  check: (_c, event) => (event.facts.revisionHash ? null : 'the revision hash was not computed'),
};

const flaggedWhileReleasedRule: GuardRule = {
  rule: 'flagged-while-released',
  payloadIndependent: true,
  check: (context, _e, state) =>
    state !== CaseStates.regulator_review || context.flaggedWhileReleased
      ? null
      : 'from regulator_review only when the case was flagged while released',
};

/** Server-side guards per event; every failing one is reported (422 guard-failed). */
export const EVENT_GUARDS: Partial<Record<CaseEventType, GuardRule[]>> = {
  [CaseEvents.INTAKE_PASSED]: [currentRevision],
  [CaseEvents.INTAKE_FAILED]: [currentRevision],
  [CaseEvents.ASSIGN_AUDITOR]: candidateRules(),
  [CaseEvents.REASSIGN_AUDITOR]: [
    {
      rule: 'from-assigned',
      check: (context, event) =>
        isAssigned(context, str(event, 'fromAuditorId') ?? '') ? null : 'fromAuditorId is not currently assigned',
    },
    ...candidateRules((event) => str(event, 'fromAuditorId')),
  ],
  [CaseEvents.RESOLVE_FINDING]: findingRules(true),
  [CaseEvents.RESPOND_FINDING]: findingRules(false),
  [CaseEvents.SUBMIT]: [revisionHashKnown],
  [CaseEvents.RESUBMIT]: [
    revisionHashKnown,
    {
      rule: 'revision-changed',
      check: (context, event) =>
        event.facts.revisionHash !== undefined && event.facts.revisionHash === context.revisionHash
          ? 'the assessment and evidence are unchanged since the last revision'
          : null,
    },
  ],
  [CaseEvents.APPROVE]: [
    {
      rule: 'signs-once',
      payloadIndependent: true,
      check: (context, event) => {
        const actor = userOf(event);
        const signed = context.signOffs.some((s) => s.auditorId === actor?.id && s.revisionHash === context.revisionHash);
        return signed ? 'this auditor has already signed off this revision' : null;
      },
    },
    {
      rule: 'not-submitter',
      payloadIndependent: true,
      check: (context, event) => {
        const actor = userOf(event);
        if (!actor) return null;
        if (actor.id === context.submittedBy) return 'the person who submitted a revision never signs it off';
        return actor.organisationId === context.developerOrganisationId ? 'nobody signs off work of their own organisation' : null;
      },
    },
    {
      rule: 'auditor-independent',
      payloadIndependent: true,
      check: (_c, event) => (event.facts.actorConflicted ? 'an active conflict of interest covers this auditor' : null),
    },
    {
      rule: 'no-blocking-findings',
      payloadIndependent: true,
      check: (_c, event) => {
        const open = event.facts.blockingFindings ?? 0;
        return open > 0 ? `${open} major or critical finding(s) are not yet resolved` : null;
      },
    },
    {
      rule: 'within-policy',
      payloadIndependent: true,
      check: (_c, event) => {
        const violations = event.facts.policyViolations ?? [];
        return violations.length > 0 ? violations.map((v) => v.message).join('; ') : null;
      },
    },
  ],
  [CaseEvents.FLAG]: [
    {
      rule: 'regulator-flags-without-opinion',
      check: (_c, event) =>
        userOf(event)?.role === 'regulator' && event.payload.opinion !== undefined
          ? 'a regulator flags without an opinion'
          : null,
    },
  ],
  [CaseEvents.RECORD_RELEASE]: [
    {
      rule: 'release-within-clearance',
      check: (_c, event) => {
        const violations = event.facts.releaseViolations ?? [];
        return violations.length > 0 ? violations.map((v) => v.message).join('; ') : null;
      },
    },
  ],
  [CaseEvents.REQUIRE_REASSESSMENT]: [flaggedWhileReleasedRule],
  [CaseEvents.REVOKE]: [flaggedWhileReleasedRule],
  [CaseEvents.WITHDRAW]: [
    {
      rule: 'never-released',
      payloadIndependent: true,
      check: (context) => (context.released ? 'a case once released is never withdrawn' : null),
    },
  ],
  [CaseEvents.DEADLINE_PASSED]: [
    {
      rule: 'deadline-open',
      check: (_c, event, state) =>
        event.facts.deadline && event.facts.deadline.kind === STATE_DEADLINE[state]
          ? null
          : 'the deadline is not the open, due deadline of this state',
    },
  ],
};

/** Every guard the event fails in this state; RECORD_RELEASE expands into one reason per violation. */
export const guardFailures = (state: CaseState, context: CaseContext, event: CaseEvent): GuardFailure[] => {
  if (event.type === CaseEvents.RECORD_RELEASE) return event.facts.releaseViolations ?? [];
  return (EVENT_GUARDS[event.type] ?? []).flatMap((guard) => {
    const message = guard.check(context, event, state);
    return message === null ? [] : [{ rule: guard.rule, message }];
  });
};

/** Only the guards that need no payload: they decide allowedEvents. */
export const payloadIndependentFailures = (state: CaseState, context: CaseContext, event: CaseEvent): GuardFailure[] =>
  (EVENT_GUARDS[event.type] ?? [])
    .filter((guard) => guard.payloadIndependent)
    .flatMap((guard) => {
      const message = guard.check(context, event, state);
      return message === null ? [] : [{ rule: guard.rule, message }];
    });
