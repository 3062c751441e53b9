import type { CaseContext } from '../case-context.js';
import { isAssigned } from '../guards/is-assigned.util.js';
import { CaseStates } from '../states.js';
import type { GuardRule } from './define-event.js';

/** Guards several events share; each event's own live in its catalog file. */

export const currentRevision: GuardRule<{ revision: number }> = {
  rule: 'current-revision',
  check: ({ context, payload }) =>
    payload.revision === context.revision ? null : `revision ${String(payload.revision)} is not the current revision ${context.revision}`,
};

/** The named auditor of ASSIGN_AUDITOR and REASSIGN_AUDITOR; `replacing` is the seat being handed over. */
export const candidateRules = <P>(replacing?: (payload: P) => string): Array<GuardRule<P>> => [
  {
    rule: 'auditor-exists',
    check: ({ facts }) => (facts.candidate && facts.candidate.role === 'auditor' ? null : 'the named user is not an auditor'),
  },
  {
    rule: 'auditor-independent',
    check: ({ context, facts }) => {
      const candidate = facts.candidate;
      if (!candidate) return null;
      if (candidate.organisationId === context.developerOrganisationId) return 'the auditor belongs to the developer organisation';
      return candidate.conflicted ? 'an active conflict of interest covers this auditor for the developer' : null;
    },
  },
  {
    rule: 'not-already-assigned',
    check: ({ context, facts }) =>
      facts.candidate && isAssigned(context, facts.candidate.id) ? 'the auditor is already assigned' : null,
  },
  {
    rule: 'distinct-firm',
    check: ({ context, facts, payload }) => {
      const candidate = facts.candidate;
      if (!candidate) return null;
      const from = replacing?.(payload);
      const clash = context.assignments.some((a) => a.auditorId !== from && a.auditFirmId === candidate.organisationId);
      return clash ? 'an auditor from the same firm is already assigned; sign-offs must come from distinct firms' : null;
    },
  },
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

export const findingRules = <P>(requireRaiser: boolean): Array<GuardRule<P>> => [
  { rule: 'finding-exists', check: ({ facts }) => (facts.finding ? null : 'no such finding on this case') },
  {
    rule: 'finding-not-resolved',
    check: ({ facts }) => (facts.finding?.status === 'resolved' ? 'the finding is already resolved' : null),
  },
  ...(requireRaiser
    ? [
        {
          rule: 'raised-by-actor',
          check: ({ context, facts, user }) => {
            if (!facts.finding || !user) return null;
            return raiserOrReplacement(context, facts.finding.raisedBy, user.id)
              ? null
              : 'only the auditor who raised the finding, or their replacement, resolves it';
          },
        } satisfies GuardRule<P>,
      ]
    : []),
];

export const revisionHashKnown: GuardRule<unknown> = {
  rule: 'revision-hash-known',
  check: ({ facts }) => (facts.revisionHash ? null : 'the revision hash was not computed'),
};

export const flaggedWhileReleased: GuardRule<unknown> = {
  rule: 'flagged-while-released',
  payloadIndependent: true,
  check: ({ context, state }) =>
    state !== CaseStates.regulator_review || context.flaggedWhileReleased
      ? null
      : 'from regulator_review only when the case was flagged while released',
};
