import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CaseStepRepository,
  acknowledgeWrite,
  revisionWrites,
  type CaseChanges,
  type CaseRelations,
  type CaseRow,
  type Db,
  type StepRead,
  type StepReadNeeds,
  type StepReads,
  type StepWrite,
} from '@app/persistence';
import { OutboxKinds } from '@app/queue';
import { ProblemError, guardFailed, invalidTransition, notFound, forbidden, staleRevision, versionConflict } from '@app/problems';
import {
  CaseEvents,
  actorMayFire,
  evaluateEvent,
  eventSubject,
  isFinalState,
  type Actor,
  type CaseEventType,
  type EventPayload,
  type UserActor,
} from '@app/workflow';
import { CaseFactsService } from './case-facts.service.js';
import { CaseEffectsService } from './case-effects.service.js';
import { CaseRecordsService } from './case-records.service.js';
import { CaseStepWriter } from './case-step-writer.service.js';
import { AllowedEventsService } from '../allowed-events.service.js';
import { SubmissionService, type PreparedRevision } from './submission.service.js';
import { isRegistryMilestone } from '../registry/registry-milestone.util.js';

export interface FireEventCommand<E extends CaseEventType = CaseEventType> {
  caseId: string;
  actor: Actor;
  type: E;
  /** Validated payload: the event body without `type`. */
  payload: EventPayload<E>;
  /** The If-Match version, when the client sent one. */
  ifMatch?: number;
  /** The outbox row of the job this step completes: marked processed by the step's own write, so a lost race acknowledges nothing. */
  acknowledges?: string | null;
}

export type FireEventResult = { applied: true; row: CaseRow } | { applied: false; row: CaseRow };

/** An api request's event: its body parsed after the read, so 404 answers before 400 (SPEC.md). */
export interface FireRequest {
  caseId: string;
  actor: UserActor;
  /** Parses the body (throws 400); called once the case is known to be readable. */
  event: () => Pick<FireEventCommand, 'type' | 'payload'>;
  ifMatch?: number;
  /** The read rule (CaseAccessService.stepReader): what it reads, and whether the read case passes it. */
  reader: { needs: StepReadNeeds; mayRead: (read: StepRead) => boolean };
}

/** An api request's applied event: the case, the view's lists as the write left them, and what the step read. */
export interface FiredEvent {
  row: CaseRow;
  relations: CaseRelations | null;
  reads: StepReads;
}

/** One attempt's outcome: written, refused by the system's own rules, lost its race, or too many writes for one statement. */
type Attempt = ({ kind: 'applied' } & FiredEvent) | { kind: 'not-applied'; row: CaseRow } | { kind: 'lost' } | { kind: 'needs-lock' };

/** Optimistic attempts before a request takes the row lock instead (each loss means another write succeeded). */
export const OPTIMISTIC_ATTEMPTS = 3;

/**
 * The one way a case changes state, for api and worker alike: read the case with what the guards
 * need (one statement), check, run the pure machine, then write the case, its records, history and
 * outbox in one version-checked statement (CaseStepRepository). In a transaction the read takes the
 * row lock; an api request without an Idempotency-Key runs both statements without one, and a
 * write that lost its race to another writes nothing and is evaluated again on a fresh read.
 */
@Injectable()
export class CaseTransitionService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly steps: CaseStepRepository,
    private readonly facts: CaseFactsService,
    private readonly records: CaseRecordsService,
    private readonly effects: CaseEffectsService,
    private readonly submission: SubmissionService,
    private readonly allowed: AllowedEventsService,
    private readonly writer: CaseStepWriter,
  ) {}

  /**
   * Fires one event inside `db`'s transaction, under the row lock. User refusals throw problems in
   * SPEC.md's order; a system event that no longer applies (stale revision or deadline) writes nothing.
   */
  async execute<E extends CaseEventType>(command: FireEventCommand<E>, db: Db): Promise<FireEventResult> {
    const read = await this.steps.read(command.caseId, this.needsOf(command), true, db);
    if (!read) throw notFound();
    const attempt = await this.attempt(command, read, db, true, false);
    if (attempt.kind === 'applied') return { applied: true, row: attempt.row };
    if (attempt.kind === 'not-applied') return { applied: false, row: attempt.row };
    throw new Error(`a locked step cannot be ${attempt.kind}`);
  }

  /**
   * The case as the steps of system events `types` read it, under the row lock when `lock`: for a
   * caller that decides which event to fire from the case (the worker's intake), then `executeOn`.
   */
  readForSystem(caseId: string, types: CaseEventType[], lock: boolean, db: Db): Promise<StepRead | null> {
    const needs: StepReadNeeds = Object.assign({}, ...types.map((type) => this.needsOf({ actor: 'system', type, payload: {} as never })));
    return this.steps.read(caseId, needs, lock, db);
  }

  /**
   * A system event on the case as `read` (from `readForSystem`) found it. Unlocked, the write is
   * optimistic: 'lost' when another write got there first (read again), 'needs-lock' when the
   * step's writes need a transaction under the row lock.
   */
  async executeOn(command: FireEventCommand, read: StepRead, db: Db, locked: boolean): Promise<FireEventResult | 'lost' | 'needs-lock'> {
    const attempt = await this.attempt(command, read, db, locked, false);
    if (attempt.kind === 'applied') return { applied: true, row: attempt.row };
    if (attempt.kind === 'not-applied') return { applied: false, row: attempt.row };
    return attempt.kind;
  }

  /**
   * An api request's event without a transaction of its own: read, then an optimistic write,
   * again on a lost race; after OPTIMISTIC_ATTEMPTS losses, or when the step's writes need more
   * than one statement, in a transaction under the row lock. The answer is the serial order's.
   */
  async fire(request: FireRequest): Promise<FiredEvent> {
    for (let i = 0; i < OPTIMISTIC_ATTEMPTS; i++) {
      const attempt = await this.fireAttempt(request, this.dataSource, false);
      if (attempt.kind === 'applied') return attempt;
      if (attempt.kind === 'needs-lock') break;
    }
    return this.dataSource.transaction((db) => this.fireLocked(request, db));
  }

  /** `fire` inside the caller's transaction (an Idempotency-Key's), under the row lock. */
  async fireLocked(request: FireRequest, db: Db): Promise<FiredEvent> {
    const attempt = await this.fireAttempt(request, db, true);
    if (attempt.kind !== 'applied') throw new Error(`a user's locked step cannot be ${attempt.kind}`);
    return attempt;
  }

  private async fireAttempt(request: FireRequest, db: Db, lock: boolean): Promise<Attempt> {
    // The body's needs when it parses; a body that does not parse is refused after the read (404 first).
    let parsed: Pick<FireEventCommand, 'type' | 'payload'> | null = null;
    try {
      parsed = request.event();
    } catch {
      parsed = null;
    }
    const needs = parsed ? this.needsOf({ ...parsed, actor: request.actor }) : {};
    const read = await this.steps.read(request.caseId, { ...needs, ...request.reader.needs }, lock, db);
    if (!read || !request.reader.mayRead(read)) throw notFound();
    const { type, payload } = parsed ?? request.event();
    return this.attempt({ caseId: request.caseId, actor: request.actor, type, payload, ifMatch: request.ifMatch }, read, db, lock, true);
  }

  private needsOf(command: Pick<FireEventCommand, 'actor' | 'type' | 'payload'>): StepReadNeeds {
    return {
      ...this.facts.needsOf(command.actor, command.type, command.payload),
      ...CaseRecordsService.needsOf(command.type),
      ...(command.type === CaseEvents.SUBMIT || command.type === CaseEvents.RESUBMIT ? { assessmentEvidence: true } : {}),
    };
  }

  /**
   * Checks and writes one event on the case as `read` found it; `locked`: the read holds the row lock;
   * `view`: the write also returns the case view's lists (an api answer).
   */
  private async attempt<E extends CaseEventType>(command: FireEventCommand<E>, read: StepRead, db: Db, locked: boolean, view: boolean): Promise<Attempt> {
    const { row, now: at, reads } = read;
    const system = command.actor === 'system';
    const status = async () => ({
      state: row.state,
      allowedEvents: system ? [] : await this.allowed.fromReads(row, command.actor, reads, db),
    });

    let prepared: PreparedRevision | null = null;
    if (command.type === CaseEvents.SUBMIT || command.type === CaseEvents.RESUBMIT) {
      prepared = await this.submission.prepare(row, reads, db);
    }
    if (!actorMayFire(command.type, command.actor, row.context)) {
      throw forbidden(`your role or relation to this case may not fire ${command.type}`);
    }
    if (command.ifMatch !== undefined && command.ifMatch !== row.version) {
      throw versionConflict(row.version, await status());
    }
    if (isApproval(command) && command.payload.revisionHash !== row.revisionHash) {
      throw staleRevision(await status());
    }

    const facts = await this.facts.forEvent(row, command.actor, command.type, command.payload, reads, db);
    if (prepared) facts.revisionHash = prepared.hash;
    const evaluation = evaluateEvent(row.workflowVersion, row.state, row.context, {
      type: command.type,
      payload: command.payload,
      facts,
    });
    if (evaluation.outcome !== 'accepted') {
      if (system) return { kind: 'not-applied', row };
      if (evaluation.outcome === 'forbidden') throw forbidden(`you may not fire ${command.type} on this case`);
      if (evaluation.outcome === 'invalid-transition') throw invalidTransition(command.type, await status());
      throw guardFailed(evaluation.reasons, await status());
    }

    const { toState, context } = evaluation;
    const subject = eventSubject(command.type, row.state, row.context, { payload: command.payload, facts });
    const changes: CaseChanges = {
      state: toState,
      isFinal: isFinalState(toState),
      context,
      ...(toState !== row.state ? { stateEnteredAt: at } : {}),
    };
    const writes: StepWrite[] = [];
    if (prepared) {
      writes.push(
        revisionWrites.insert({
          number: context.revision,
          hash: prepared.hash,
          assessment: row.assessment,
          evidenceIds: prepared.evidenceIds,
          evidenceSha256: prepared.evidenceSha256,
          tier: prepared.tier,
          submittedBy: submitterOf(command.actor),
          submittedAt: at,
        }),
      );
      Object.assign(changes, { revision: context.revision, revisionHash: prepared.hash, tier: prepared.tier });
    }
    const records = this.records.apply({ row, actor: command.actor, type: command.type, payload: command.payload, subject, toState, context, at, reads });
    Object.assign(changes, records.changes);
    const effects = await this.effects.apply(row, context, evaluation.effects, facts, at, db);
    const outbox = [...effects.outbox, ...records.outbox];
    // The public registry publishes this milestone from Postgres once the step has committed.
    if (isRegistryMilestone(row.state, toState))
      outbox.push({ caseId: row.id, kind: OutboxKinds.registryRecord, payload: { caseId: row.id, seq: row.lastSeq + 1 } });
    writes.push(...records.writes, ...effects.writes);
    if (command.acknowledges) writes.push(acknowledgeWrite(command.acknowledges));
    if (!locked && !CaseStepRepository.fitsOneStatement(writes)) return { kind: 'needs-lock' };

    const step = { type: command.type, actor: command.actor, toState, at, payload: command.payload };
    const written = await this.writer.trySave(row, step, changes, outbox, writes, db, view ? { model: reads.model } : undefined);
    if (written) return { kind: 'applied', row: written.row, relations: written.relations, reads };
    // Under the row lock the version cannot move; kept so a lost update can never pass silently.
    if (locked) throw new ProblemError(409, 'version-conflict', 'Version conflict', 'the case changed during the write');
    return { kind: 'lost' };
  }
}

const isApproval = (command: FireEventCommand): command is FireEventCommand<typeof CaseEvents.APPROVE> =>
  command.type === CaseEvents.APPROVE;

/** SUBMIT and RESUBMIT: their actor rule admits only the case's developer, never the system. */
const submitterOf = (actor: Actor): string => {
  if (actor === 'system') throw new Error('the system never submits a revision');
  return actor.id;
};
