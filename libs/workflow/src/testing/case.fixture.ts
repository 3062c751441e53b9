import {
  initialCaseContext,
  type Actor,
  type Assignment,
  type CandidateAuditor,
  type CaseContext,
  type CaseEvent,
  type Requirements,
  type UserActor,
} from '../case-context.js';
import type { DeadlineKind } from '../deadline-kinds.js';
import type { CaseEventType } from '../event-types.js';
import type { CaseState } from '../states.js';
import { SPEC_STATE_DEADLINE, type ActorRelation } from './spec-workflow.fixture.js';

/** A fixture case: developer organisation 'dev-org', auditors from distinct firms, a regulator. Test-only. */
export const DEV_ORG = 'dev-org';

export const developer: UserActor = { id: 'dev-user', role: 'developer', organisationId: DEV_ORG };
export const otherDeveloper: UserActor = { id: 'dev-other', role: 'developer', organisationId: 'other-dev-org' };
export const auditorA: UserActor = { id: 'auditor-a', role: 'auditor', organisationId: 'firm-a' };
export const auditorB: UserActor = { id: 'auditor-b', role: 'auditor', organisationId: 'firm-b' };
export const auditorC: UserActor = { id: 'auditor-c', role: 'auditor', organisationId: 'firm-c' };
/** Never assigned to the fixture case. */
export const auditorD: UserActor = { id: 'auditor-d', role: 'auditor', organisationId: 'firm-d' };
export const regulator: UserActor = { id: 'regulator-1', role: 'regulator', organisationId: 'regulator-org' };
export const admin: UserActor = { id: 'admin-1', role: 'admin', organisationId: null };

/** caip-2025 low/moderate: one sign-off, no regulator review. */
export const LOW_TIER: Requirements = { tier: 'moderate', signOffs: 1, regulatorReview: false };
/** caip-2025 high: two sign-offs from distinct firms, regulator review. */
export const HIGH_TIER: Requirements = { tier: 'high', signOffs: 2, regulatorReview: true };

export const assignmentOf = (auditor: UserActor): Assignment => ({
  auditorId: auditor.id,
  auditFirmId: auditor.organisationId ?? '',
});
export const candidateOf = (auditor: UserActor, conflicted = false): CandidateAuditor => ({ ...auditor, conflicted });
export const signOffOf = (auditor: UserActor, revisionHash = 'hash-1') => ({ ...assignmentOf(auditor), revisionHash });

export const caseContext = (overrides: Partial<CaseContext> = {}): CaseContext => ({
  ...initialCaseContext(DEV_ORG),
  ...overrides,
});

/** A submitted revision 1 under the high tier, audited by A (firm-a) and B (firm-b). */
export const auditedContext = (overrides: Partial<CaseContext> = {}): CaseContext =>
  caseContext({
    revision: 1,
    revisionHash: 'hash-1',
    submittedBy: developer.id,
    submittedFrom: 'draft',
    requirements: HIGH_TIER,
    assignments: [assignmentOf(auditorA), assignmentOf(auditorB)],
    ...overrides,
  });

const bothSignedOff = { signOffs: [signOffOf(auditorA), signOffOf(auditorB)] };
const released = { released: true, ...bothSignedOff };

/** A realistic context for each state, with the variants whose branches differ. */
export const STATE_FIXTURES: ReadonlyArray<{ name: string; state: CaseState; context: CaseContext }> = [
  { name: 'draft, new', state: 'draft', context: caseContext() },
  { name: 'draft, amended after a hold', state: 'draft', context: auditedContext() },
  { name: 'intake from draft', state: 'intake', context: caseContext({ revision: 1, revisionHash: 'hash-1', submittedBy: developer.id, submittedFrom: 'draft' }) },
  {
    name: 'intake from changes_requested',
    state: 'intake',
    context: auditedContext({ revision: 2, revisionHash: 'hash-2', submittedFrom: 'changes_requested' }),
  },
  { name: 'awaiting_assignment, one of two assigned', state: 'awaiting_assignment', context: auditedContext({ assignments: [assignmentOf(auditorA)] }) },
  { name: 'in_audit, high tier', state: 'in_audit', context: auditedContext() },
  { name: 'in_audit, low tier', state: 'in_audit', context: auditedContext({ requirements: LOW_TIER, assignments: [assignmentOf(auditorA)] }) },
  { name: 'in_audit, one sign-off of two', state: 'in_audit', context: auditedContext({ signOffs: [signOffOf(auditorB)] }) },
  { name: 'in_audit, once released', state: 'in_audit', context: auditedContext({ released: true, revision: 2, revisionHash: 'hash-2' }) },
  { name: 'info_requested', state: 'info_requested', context: auditedContext() },
  { name: 'info_requested, once released', state: 'info_requested', context: auditedContext({ released: true }) },
  { name: 'changes_requested', state: 'changes_requested', context: auditedContext() },
  { name: 'changes_requested, once released', state: 'changes_requested', context: auditedContext({ released: true }) },
  { name: 'regulator_review, flagged in audit', state: 'regulator_review', context: auditedContext() },
  { name: 'regulator_review, review required', state: 'regulator_review', context: auditedContext(bothSignedOff) },
  {
    name: 'regulator_review, flagged while released',
    state: 'regulator_review',
    context: auditedContext({ ...released, flaggedWhileReleased: true }),
  },
  { name: 'cleared', state: 'cleared', context: auditedContext(bothSignedOff) },
  { name: 'cleared, once released', state: 'cleared', context: auditedContext({ released: true, revision: 2, revisionHash: 'hash-2', signOffs: [signOffOf(auditorA, 'hash-2'), signOffOf(auditorB, 'hash-2')] }) },
  { name: 'released', state: 'released', context: auditedContext(released) },
  { name: 'reassessment_required, released', state: 'reassessment_required', context: auditedContext(released) },
  { name: 'reassessment_required, base model flagged before release', state: 'reassessment_required', context: auditedContext(bothSignedOff) },
  { name: 'held', state: 'held', context: auditedContext(bothSignedOff) },
  { name: 'held, once released', state: 'held', context: auditedContext(released) },
  { name: 'withdrawn', state: 'withdrawn', context: auditedContext() },
  { name: 'lapsed', state: 'lapsed', context: auditedContext() },
  { name: 'expired', state: 'expired', context: auditedContext(bothSignedOff) },
  { name: 'revoked', state: 'revoked', context: auditedContext(released) },
];

/** The actor standing in the given relation to the case, or null when nobody does (no auditor assigned). */
export const actorFor = (relation: ActorRelation, context: CaseContext): Actor | null => {
  switch (relation) {
    case 'developer':
      return developer;
    case 'otherDeveloper':
      return otherDeveloper;
    case 'assignedAuditor': {
      const assigned = [auditorA, auditorB, auditorC].find((a) => context.assignments.some((x) => x.auditorId === a.id));
      return assigned ?? null;
    }
    case 'unassignedAuditor':
      return auditorD;
    case 'regulator':
      return regulator;
    case 'admin':
      return admin;
    case 'system':
      return 'system';
  }
};

const idOf = (actor: Actor): string | null => (actor === 'system' ? null : actor.id);

/**
 * An event of the given type whose payload and facts satisfy every guard for this
 * actor and context (the actor column aside).
 */
export const sampleEvent = (
  type: CaseEventType,
  actor: Actor,
  context: CaseContext,
  options: { state?: CaseState; deadlineKind?: DeadlineKind; requirements?: Requirements } = {},
): CaseEvent => {
  const facts = { actor };
  const nextHash = `hash-${context.revision + 1}`;
  switch (type) {
    case 'SUBMIT':
    case 'RESUBMIT':
      return { type, payload: {}, facts: { ...facts, revisionHash: nextHash } };
    case 'INTAKE_PASSED':
      return {
        type,
        payload: { revision: context.revision },
        facts: { ...facts, requirements: options.requirements ?? context.requirements ?? LOW_TIER },
      };
    case 'INTAKE_FAILED':
      return {
        type,
        payload: {
          revision: context.revision,
          reasons: [{ rule: 'domain-evaluated', path: '/evaluations', message: 'cyber: not evaluated' }],
        },
        facts,
      };
    case 'ASSIGN_AUDITOR': {
      const candidate = [auditorA, auditorB, auditorC].find((a) => !context.assignments.some((x) => x.auditorId === a.id));
      return { type, payload: { auditorId: candidate!.id }, facts: { ...facts, candidate: candidateOf(candidate!) } };
    }
    case 'REASSIGN_AUDITOR': {
      const from = context.assignments[0]?.auditorId ?? auditorA.id;
      return {
        type,
        payload: { fromAuditorId: from, toAuditorId: auditorC.id },
        facts: { ...facts, candidate: candidateOf(auditorC) },
      };
    }
    case 'DECLARE_CONFLICT':
      return { type, payload: { kind: 'financial', scope: 'individual', reason: 'holds shares' }, facts };
    case 'ADD_FINDING':
      return { type, payload: { severity: 'major', title: 'uplift understated', detail: 'n=40 is small' }, facts };
    case 'RESOLVE_FINDING':
      return {
        type,
        payload: { findingId: 'finding-1', note: 'addressed' },
        facts: { ...facts, finding: { id: 'finding-1', raisedBy: idOf(actor) ?? auditorA.id, status: 'responded' } },
      };
    case 'RESPOND_FINDING':
      return {
        type,
        payload: { findingId: 'finding-1', response: 'see new trial' },
        facts: { ...facts, finding: { id: 'finding-1', raisedBy: auditorA.id, status: 'open' } },
      };
    case 'REQUEST_INFO':
      return { type, payload: { question: 'how many participants?' }, facts };
    case 'PROVIDE_INFO':
      return { type, payload: { answer: '40' }, facts };
    case 'REQUEST_CHANGES':
      return { type, payload: { summary: 'evaluate cyber' }, facts };
    case 'APPROVE':
      return {
        type,
        payload: { revisionHash: context.revisionHash, opinion: 'unmodified', assurance: 'reasonable', conditions: [] },
        facts: { ...facts, blockingFindings: 0, actorConflicted: false, policyViolations: [] },
      };
    case 'FLAG':
      return {
        type,
        payload:
          actor !== 'system' && actor.role === 'auditor'
            ? { reason: 'uplift understated', opinion: 'adverse', assurance: 'reasonable' }
            : { reason: 'public report of misuse' },
        facts,
      };
    case 'CLEAR':
      return { type, payload: { note: 'resolved' }, facts };
    case 'REQUIRE_CHANGES':
      return { type, payload: { summary: 'add safeguards' }, facts };
    case 'HOLD':
    case 'REQUIRE_REASSESSMENT':
    case 'REVOKE':
      return { type, payload: { reason: 'new evidence' }, facts };
    case 'WITHDRAW':
      return { type, payload: { reason: 'project cancelled' }, facts };
    case 'AMEND':
      return { type, payload: {}, facts };
    case 'RECORD_RELEASE':
      return {
        type,
        payload: { components: [{ component: 'inference_code', release: 'open', location: 'https://git.example' }] },
        facts: { ...facts, releaseViolations: [] },
      };
    case 'DEADLINE_PASSED': {
      const kind = options.deadlineKind ?? (options.state && SPEC_STATE_DEADLINE[options.state]) ?? 'audit';
      return { type, payload: { deadlineId: 'deadline-1' }, facts: { ...facts, deadline: { id: 'deadline-1', kind } } };
    }
    case 'BASE_MODEL_FLAGGED':
      return { type, payload: { modelVersionId: 'model-version-parent' }, facts };
  }
};
