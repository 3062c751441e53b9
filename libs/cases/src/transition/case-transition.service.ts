import { Injectable } from '@nestjs/common';
import { CaseRepository, RevisionRepository, type CaseChanges, type CaseRow, type Db, type LockedCase } from '@app/persistence';
import { OutboxKinds } from '@app/queue';
import { guardFailed, invalidTransition, notFound, forbidden, staleRevision, versionConflict } from '@app/problems';
import {
  CaseEvents,
  actorMayFire,
  evaluateEvent,
  eventSubject,
  isFinalState,
  type Actor,
  type CaseEventType,
  type EventPayload,
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
}

export type FireEventResult = { applied: true; row: CaseRow } | { applied: false; row: CaseRow };

/**
 * The one way a case changes state, for api and worker alike: lock the row, check,
 * run the pure machine, then save state, records, history and effects in the caller's transaction.
 */
@Injectable()
export class CaseTransitionService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly revisions: RevisionRepository,
    private readonly facts: CaseFactsService,
    private readonly records: CaseRecordsService,
    private readonly effects: CaseEffectsService,
    private readonly submission: SubmissionService,
    private readonly allowed: AllowedEventsService,
    private readonly steps: CaseStepWriter,
  ) {}

  /**
   * Fires one event inside `db`'s transaction. User refusals throw problems in SPEC.md's order;
   * a system event that no longer applies (stale revision or deadline) writes nothing.
   * `alreadyLocked` is the case as the caller locked it with `lockWithNow` in this same transaction.
   */
  async execute<E extends CaseEventType>(command: FireEventCommand<E>, db: Db, alreadyLocked?: LockedCase): Promise<FireEventResult> {
    // The row lock and the Postgres clock in one round trip (`now()` is fixed for the transaction).
    const locked = alreadyLocked ?? (await this.cases.lockWithNow(command.caseId, db));
    if (!locked) throw notFound();
    const { row } = locked;
    const system = command.actor === 'system';
    const status = async () => ({
      state: row.state,
      allowedEvents: system ? [] : await this.allowed.forRow(row, command.actor, db),
    });

    let prepared: PreparedRevision | null = null;
    if (command.type === CaseEvents.SUBMIT || command.type === CaseEvents.RESUBMIT) {
      prepared = await this.submission.prepare(row, db);
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

    const facts = await this.facts.forEvent(row, command.actor, command.type, command.payload, db);
    if (prepared) facts.revisionHash = prepared.hash;
    const evaluation = evaluateEvent(row.workflowVersion, row.state, row.context, {
      type: command.type,
      payload: command.payload,
      facts,
    });
    if (evaluation.outcome !== 'accepted') {
      if (system) return { applied: false, row };
      if (evaluation.outcome === 'forbidden') throw forbidden(`you may not fire ${command.type} on this case`);
      if (evaluation.outcome === 'invalid-transition') throw invalidTransition(command.type, await status());
      throw guardFailed(evaluation.reasons, await status());
    }

    const at = locked.now;
    const { toState, context } = evaluation;
    const subject = eventSubject(command.type, row.state, row.context, { payload: command.payload, facts });
    const changes: CaseChanges = {
      state: toState,
      isFinal: isFinalState(toState),
      context,
      ...(toState !== row.state ? { stateEnteredAt: at } : {}),
    };
    if (prepared) {
      await this.revisions.insert(
        {
          caseId: row.id,
          number: context.revision,
          hash: prepared.hash,
          assessment: row.assessment,
          evidenceIds: prepared.evidenceIds,
          evidenceSha256: prepared.evidenceSha256,
          tier: prepared.tier,
          submittedBy: submitterOf(command.actor),
          submittedAt: at,
        },
        db,
      );
      Object.assign(changes, { revision: context.revision, revisionHash: prepared.hash, tier: prepared.tier });
    }
    Object.assign(
      changes,
      await this.records.apply(
        { row, actor: command.actor, type: command.type, payload: command.payload, subject, toState, context, at },
        db,
      ),
    );
    const outbox = await this.effects.apply(row, context, evaluation.effects, facts, at, db);
    // The public registry publishes this milestone from Postgres once the step has committed.
    if (isRegistryMilestone(row.state, toState))
      outbox.push({ caseId: row.id, kind: OutboxKinds.registryRecord, payload: { caseId: row.id, seq: row.lastSeq + 1 } });

    // History row, outbox rows and the case update in one statement.
    const updated = await this.steps.save(row, { type: command.type, actor: command.actor, toState, at, payload: command.payload }, changes, outbox, db);
    return { applied: true, row: updated };
  }
}

const isApproval = (command: FireEventCommand): command is FireEventCommand<typeof CaseEvents.APPROVE> =>
  command.type === CaseEvents.APPROVE;

/** SUBMIT and RESUBMIT: their actor rule admits only the case's developer, never the system. */
const submitterOf = (actor: Actor): string => {
  if (actor === 'system') throw new Error('the system never submits a revision');
  return actor.id;
};
