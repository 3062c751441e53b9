/**
 * What `npm run seed:scale` writes for one case: a walk through the workflow to a target
 * state, with its hash-chained history (the project's own `eventHash`), revisions,
 * assignments, deadlines (closed for past stays, open for the current one) and the case row.
 * Pure: a seeded random source and a clock in, rows out.
 */
import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, eventHash, revisionHash, type EventActor, type HistoryItem } from '@app/integrity';
import { CaseEvents, CaseStates, STATE_DEADLINE, isFinalState, type CaseEventType, type CaseState, type DeadlineKind } from '@app/workflow';

export interface SeedUser {
  id: string;
  role: 'developer' | 'auditor' | 'regulator';
  organisationId: string;
}

export interface SeedWorld {
  developers: SeedUser[][]; // by developer organisation
  auditors: SeedUser[][]; // by audit firm
  regulators: SeedUser[];
}

/** The share of cases that end in each state: most history is settled, a working set is open. */
export const STATE_MIX: ReadonlyArray<[CaseState, number]> = [
  [CaseStates.draft, 4],
  [CaseStates.intake, 0.5],
  [CaseStates.awaiting_assignment, 3],
  [CaseStates.in_audit, 8],
  [CaseStates.info_requested, 3],
  [CaseStates.changes_requested, 4],
  [CaseStates.regulator_review, 3],
  [CaseStates.cleared, 4],
  [CaseStates.released, 33],
  [CaseStates.reassessment_required, 2],
  [CaseStates.held, 1.5],
  [CaseStates.withdrawn, 14],
  [CaseStates.lapsed, 6],
  [CaseStates.expired, 12],
  [CaseStates.revoked, 2],
];

const TIER_MIX: ReadonlyArray<[string, number]> = [
  ['low', 45],
  ['moderate', 30],
  ['high', 20],
  ['critical', 5],
];

const RELEASE_BY_TIER: Record<string, string> = { low: 'open', moderate: 'open', high: 'gated', critical: 'internal' };

/** Days per deadline kind: the shipped pack's durations (caip-2025). */
export const DEADLINE_DAYS: Record<DeadlineKind, number> = {
  assignment: 5,
  audit: 20,
  review: 20,
  info_response: 10,
  changes_response: 30,
  clearance_validity: 90,
  reassessment: 180,
};

const ESCALATING: ReadonlySet<DeadlineKind> = new Set(['assignment', 'audit', 'review']);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Mulberry32: a small seeded generator, so a seed run is repeatable. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const pick = <T>(random: () => number, mix: ReadonlyArray<[T, number]>): T => {
  const total = mix.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, weight] of mix) {
    r -= weight;
    if (r < 0) return value;
  }
  return mix[mix.length - 1]![0];
};

const one = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const snapshot = (user: SeedUser): EventActor => ({ id: user.id, role: user.role, organisationId: user.organisationId });

export interface PlannedDeadline {
  kind: DeadlineKind;
  openedAt: number;
  dueAt: number;
  escalatedAt: number | null;
  firedAt: number | null;
  closedAt: number | null;
}

export interface PlannedCase {
  id: string;
  modelVersionId: string;
  modelName: string;
  modelVersion: string;
  developerOrganisationId: string;
  createdBy: string;
  state: CaseState;
  tier: string | null;
  context: Record<string, unknown>;
  assessment: Record<string, unknown>;
  version: number;
  revision: number;
  revisionHash: string | null;
  releasedAt: number | null;
  createdAt: number;
  stateEnteredAt: number;
  events: HistoryItem[];
  revisions: Array<{ number: number; hash: string; assessment: Record<string, unknown>; submittedBy: string; submittedAt: number }>;
  assignments: Array<{ auditorId: string; auditFirmId: string; assignedAt: number }>;
  deadlines: PlannedDeadline[];
}

interface Step {
  type: CaseEventType;
  to: CaseState;
  actor: SeedUser | 'system';
  payload: Record<string, unknown>;
  /** Hours after the previous step. */
  gapHours: number;
}

/**
 * Plans case number `index`: its target state from the mix, a walk to it, then times laid
 * backwards from now so that open deadlines are mostly still running (some escalated, as in
 * a real backlog) and settled cases spread over three years.
 */
export const planCase = (random: () => number, world: SeedWorld, index: number, now: number, tag: string): PlannedCase => {
  // A few organisations are large: the square skews the pick towards low indexes.
  const orgIndex = Math.floor(random() * random() * world.developers.length);
  const developers = world.developers[orgIndex]!;
  const developer = one(random, developers);
  const target = pick(random, STATE_MIX);
  // Regulator review, hold: only tiers that need the review reach them.
  const tier = target === CaseStates.regulator_review || target === CaseStates.held ? one(random, ['high', 'critical']) : pick(random, TIER_MIX);
  const seats = tier === 'high' || tier === 'critical' ? 2 : 1;
  const regulatorReview = seats === 2;
  const regulator = one(random, world.regulators);
  const firm = world.auditors[Math.floor(random() * world.auditors.length)]!;
  const auditors = seats === 2 ? [firm[0]!, firm[1 % firm.length]!] : [one(random, firm)];
  const assessment = {
    summary: `Model ${index} for text tasks.`,
    components: [
      { component: 'model_parameters', release: RELEASE_BY_TIER[tier] },
      { component: 'inference_code', release: 'open' },
    ],
    tier,
  };

  const steps: Step[] = [];
  let state: CaseState = CaseStates.draft;
  const go = (type: CaseEventType, to: CaseState, actor: Step['actor'], payload: Record<string, unknown> = {}, gapHours = 1 + random() * 48) => {
    steps.push({ type, to, actor, payload, gapHours });
    state = to;
  };
  const submit = () => go(CaseEvents.SUBMIT, CaseStates.intake, developer);
  const intake = (to: CaseState) => go(CaseEvents.INTAKE_PASSED, to, 'system', { tier }, 0.01);
  const assign = () =>
    auditors.forEach((a, i) =>
      go(CaseEvents.ASSIGN_AUDITOR, i === auditors.length - 1 ? CaseStates.in_audit : CaseStates.awaiting_assignment, regulator, { auditorId: a.id }),
    );
  const audit = () => {
    // Some audits ask for information or changes first: history lengths vary as they do in life.
    if (random() < 0.3) {
      go(CaseEvents.REQUEST_INFO, CaseStates.info_requested, auditors[0]!, { question: 'Describe the red-team protocol.' });
      go(CaseEvents.PROVIDE_INFO, CaseStates.in_audit, developer, { answer: 'Attached as evidence.' });
    }
    if (random() < 0.25) {
      go(CaseEvents.REQUEST_CHANGES, CaseStates.changes_requested, auditors[0]!, { reason: 'Evaluation coverage is incomplete.' });
      go(CaseEvents.RESUBMIT, CaseStates.intake, developer, {}, 24 + random() * 200);
      intake(CaseStates.in_audit);
    }
  };
  const approve = () =>
    auditors.forEach((a, i) =>
      go(CaseEvents.APPROVE, i < auditors.length - 1 ? CaseStates.in_audit : regulatorReview ? CaseStates.regulator_review : CaseStates.cleared, a, {
        opinion: 'unmodified',
        assurance: 'reasonable',
      }),
    );
  const toInAudit = () => {
    submit();
    intake(CaseStates.awaiting_assignment);
    assign();
  };
  const toCleared = () => {
    toInAudit();
    audit();
    approve();
    if (state === CaseStates.regulator_review) go(CaseEvents.CLEAR, CaseStates.cleared, regulator);
  };
  const toReleased = () => {
    toCleared();
    go(CaseEvents.RECORD_RELEASE, CaseStates.released, developer, { releasedAt: null });
  };

  switch (target) {
    case CaseStates.draft:
      if (random() < 0.2) {
        submit();
        go(CaseEvents.INTAKE_FAILED, CaseStates.draft, 'system', { reasons: ['an evaluation is missing'] }, 0.01);
      }
      break;
    case CaseStates.intake:
      submit();
      break;
    case CaseStates.awaiting_assignment:
      submit();
      intake(CaseStates.awaiting_assignment);
      break;
    case CaseStates.in_audit:
      toInAudit();
      audit();
      break;
    case CaseStates.info_requested:
      toInAudit();
      go(CaseEvents.REQUEST_INFO, CaseStates.info_requested, auditors[0]!, { question: 'Which benchmark version?' });
      break;
    case CaseStates.changes_requested:
      toInAudit();
      go(CaseEvents.REQUEST_CHANGES, CaseStates.changes_requested, auditors[0]!, { reason: 'Safeguards are not described.' });
      break;
    case CaseStates.regulator_review:
      toInAudit();
      audit();
      approve();
      break;
    case CaseStates.held:
      toInAudit();
      audit();
      approve();
      go(CaseEvents.HOLD, CaseStates.held, regulator, { reason: 'Pending a cross-border review.' });
      break;
    case CaseStates.cleared:
      toCleared();
      break;
    case CaseStates.released:
      toReleased();
      break;
    case CaseStates.reassessment_required:
      toReleased();
      go(CaseEvents.REQUIRE_REASSESSMENT, CaseStates.reassessment_required, regulator, { reason: 'New capability evidence.' });
      break;
    case CaseStates.revoked:
      toReleased();
      go(CaseEvents.REVOKE, CaseStates.revoked, regulator, { reason: 'Misuse reported.' });
      break;
    case CaseStates.lapsed:
      toInAudit();
      go(CaseEvents.REQUEST_CHANGES, CaseStates.changes_requested, auditors[0]!, { reason: 'Evaluations missing.' });
      go(CaseEvents.DEADLINE_PASSED, CaseStates.lapsed, 'system', { kind: 'changes_response' }, DEADLINE_DAYS.changes_response * 24);
      break;
    case CaseStates.expired:
      toCleared();
      go(CaseEvents.DEADLINE_PASSED, CaseStates.expired, 'system', { kind: 'clearance_validity' }, DEADLINE_DAYS.clearance_validity * 24);
      break;
    case CaseStates.withdrawn: {
      const stage = random();
      if (stage < 0.3) void 0;
      else if (stage < 0.7) toInAudit();
      else toCleared();
      go(CaseEvents.WITHDRAW, CaseStates.withdrawn, developer, { reason: 'Project cancelled.' });
      break;
    }
  }

  // Time spent in the current state so far: within its deadline for most, past it for some
  // escalating ones; settled cases anywhere in the last three years.
  const kind = STATE_DEADLINE[target];
  const sinceEntered =
    isFinalState(target)
      ? random() * 3 * 365 * DAY
      : kind === undefined
        ? random() * 30 * DAY
        : ESCALATING.has(kind) && random() < 0.1
          ? (DEADLINE_DAYS[kind] + random() * 10) * DAY
          : random() * DEADLINE_DAYS[kind] * 0.95 * DAY;
  const stateEnteredAt = Math.floor(now - sinceEntered);
  const totalGap = steps.reduce((sum, s) => sum + s.gapHours * HOUR, 0);
  const createdAt = Math.floor(stateEnteredAt - totalGap - (1 + random() * 72) * HOUR);

  // Walk forward: history, revisions, assignments, deadlines and the machine's context.
  const id = randomUUID();
  const events: HistoryItem[] = [];
  const revisions: PlannedCase['revisions'] = [];
  const assignments: PlannedCase['assignments'] = [];
  const deadlines: PlannedDeadline[] = [];
  const open = new Map<DeadlineKind, PlannedDeadline>();
  let prevHash = GENESIS_HASH;
  let at = createdAt + Math.floor(random() * HOUR);
  let current: CaseState = CaseStates.draft;
  let revision = 0;
  let revHash: string | null = null;
  let submittedBy: string | null = null;
  let submittedFrom: CaseState | null = null;
  let released: number | null = null;
  const contextAssignments: Array<{ auditorId: string; auditFirmId: string }> = [];
  const signOffs: Array<{ auditorId: string; auditFirmId: string; revisionHash: string }> = [];

  const openFor = (s: CaseState, when: number) => {
    const k = STATE_DEADLINE[s];
    if (k === undefined || open.has(k)) return;
    const d: PlannedDeadline = { kind: k, openedAt: when, dueAt: when + DEADLINE_DAYS[k] * DAY, escalatedAt: null, firedAt: null, closedAt: null };
    open.set(k, d);
    deadlines.push(d);
  };

  for (const [i, step] of steps.entries()) {
    at = i === steps.length - 1 ? stateEnteredAt : at + Math.floor(step.gapHours * HOUR);
    if (step.type === CaseEvents.SUBMIT || step.type === CaseEvents.RESUBMIT) {
      revision += 1;
      const submitted = { ...assessment, revision };
      revHash = revisionHash(submitted, []);
      submittedBy = developer.id;
      submittedFrom = current;
      revisions.push({ number: revision, hash: revHash, assessment: submitted, submittedBy: developer.id, submittedAt: at });
      signOffs.length = 0;
    }
    if (step.type === CaseEvents.ASSIGN_AUDITOR) {
      const auditor = auditors[contextAssignments.length]!;
      contextAssignments.push({ auditorId: auditor.id, auditFirmId: auditor.organisationId });
      assignments.push({ auditorId: auditor.id, auditFirmId: auditor.organisationId, assignedAt: at });
    }
    if (step.type === CaseEvents.APPROVE && step.actor !== 'system') {
      signOffs.push({ auditorId: step.actor.id, auditFirmId: step.actor.organisationId, revisionHash: revHash! });
      step.payload = { ...step.payload, revisionHash: revHash };
    }
    if (step.type === CaseEvents.RECORD_RELEASE) {
      released = at;
      step.payload = { releasedAt: new Date(at).toISOString() };
    }
    const item: Omit<HistoryItem, 'hash'> = {
      seq: i + 1,
      type: step.type,
      actor: step.actor === 'system' ? 'system' : snapshot(step.actor),
      fromState: current,
      toState: step.to,
      at: new Date(at).toISOString(),
      payload: step.payload,
      prevHash,
    };
    const hash = eventHash(id, item);
    events.push({ ...item, hash });
    prevHash = hash;

    // Deadlines: the one of the state left closes (fired when a deadline moved the case), the next state's opens.
    if (step.to !== current) {
      const leaving = STATE_DEADLINE[current];
      const entering = STATE_DEADLINE[step.to];
      const auditSpan = leaving === 'audit' && step.to === CaseStates.info_requested;
      if (leaving !== undefined && leaving !== entering && !auditSpan) {
        const d = open.get(leaving)!;
        d.closedAt = at;
        if (step.type === CaseEvents.DEADLINE_PASSED) d.firedAt = at;
        open.delete(leaving);
      }
      if (current === CaseStates.info_requested && step.to !== CaseStates.in_audit && open.has('audit')) {
        open.get('audit')!.closedAt = at;
        open.delete('audit');
      }
      openFor(step.to, at);
    }
    current = step.to;
  }
  // A running escalating deadline already past due has escalated (the sweep fired it; it stays open).
  for (const d of open.values()) {
    if (d.dueAt <= now && ESCALATING.has(d.kind)) {
      d.escalatedAt = d.dueAt + 60_000;
      d.firedAt = d.dueAt + 60_000;
    }
  }

  const requirements = revision > 0 && steps.some((s) => s.type === CaseEvents.INTAKE_PASSED) ? { tier, signOffs: seats, regulatorReview } : null;
  // One write for creation, one for the assessment before submission, one per event.
  const version = 1 + (revision > 0 ? 1 : 0) + events.length;
  return {
    id,
    modelVersionId: randomUUID(),
    modelName: `model-${tag}-${Math.floor(index / 4)}`,
    modelVersion: `1.${index % 4}.0`,
    developerOrganisationId: developer.organisationId,
    createdBy: developer.id,
    state: current,
    tier: requirements ? tier : null,
    context: {
      developerOrganisationId: developer.organisationId,
      revision,
      revisionHash: revHash,
      submittedBy,
      submittedFrom,
      requirements,
      assignments: contextAssignments,
      replacements: [],
      vacated: [],
      signOffs: [...signOffs],
      flaggedWhileReleased: false,
      released: released !== null,
    },
    assessment: revision > 0 ? { ...assessment, revision } : {},
    version,
    revision,
    revisionHash: revHash,
    releasedAt: released,
    createdAt,
    stateEnteredAt: events.length > 0 ? stateEnteredAt : createdAt,
    events,
    revisions,
    assignments,
    deadlines,
  };
};
