import { Injectable } from '@nestjs/common';
import {
  assignmentWrites,
  conflictWrites,
  deadlineWrites,
  findingWrites,
  opinionWrites,
  type CaseChanges,
  type CaseRow,
  type OutboxEntry,
  type StepReads,
  type StepWrite,
} from '@app/persistence';
import { OutboxKinds } from '@app/queue';
import {
  CaseEvents,
  CaseStates,
  type Actor,
  type CaseContext,
  type CaseEventType,
  type CaseState,
  type EventPayload,
  type EventSubject,
  type EventsWritingRecords,
} from '@app/workflow';

/** States of an ancestor that send its descendants' clearances to reassessment. */
export const LINEAGE_ALARM_STATES: readonly CaseState[] = [CaseStates.held, CaseStates.revoked, CaseStates.reassessment_required];

/** One accepted event, typed by its catalog entry: its payload and what it acts on. */
export interface AcceptedStep<E extends CaseEventType = CaseEventType> {
  row: CaseRow;
  actor: Actor;
  type: E;
  payload: EventPayload<E>;
  subject: EventSubject<E>;
  toState: CaseState;
  context: CaseContext;
  at: string;
  /** What the step read beside the case row (CaseStepRepository.read). */
  reads: StepReads;
}

/** One event's records, as writes of its step statement, and the extra case columns it changes. */
export interface StepRecords {
  changes: CaseChanges;
  writes: StepWrite[];
  outbox: OutboxEntry[];
}

type RecordWriter<E extends CaseEventType> = (step: AcceptedStep<E>) => { changes?: CaseChanges; writes?: StepWrite[] };

const NO_CHANGES = {};

/** The domain rows an accepted event writes beside the case (findings, opinions, assignments…). */
@Injectable()
export class CaseRecordsService {

  /**
   * One writer for exactly the events whose catalog entry declares `records`: the compiler
   * refuses one missing, or one for an event that declares none.
   */
  private readonly writers: { readonly [E in CaseEventType]?: RecordWriter<E> } = {
    ASSIGN_AUDITOR: ({ subject, at }) => ({ writes: [assignmentWrites.assign(subject.auditorId, subject.auditFirmId, at)] }),
    REASSIGN_AUDITOR: ({ payload, subject, at }) => ({
      writes: [
        assignmentWrites.unassign(payload.fromAuditorId, 'reassigned', at),
        opinionWrites.void(payload.fromAuditorId, null, at),
        assignmentWrites.assign(subject.auditorId, subject.auditFirmId, at),
      ],
    }),
    DECLARE_CONFLICT: ({ row, payload, subject, at }) => ({
      writes: [
        assignmentWrites.unassign(subject.auditorId, 'conflict', at),
        opinionWrites.void(subject.auditorId, null, at),
        conflictWrites.create({
          auditFirmId: subject.auditFirmId,
          developerOrganisationId: row.developerOrganisationId,
          kind: payload.kind,
          scope: payload.scope,
          auditorId: payload.scope === 'individual' ? subject.auditorId : null,
          since: at,
          reason: payload.reason,
          caseId: row.id,
        }),
      ],
    }),
    ADD_FINDING: ({ row, payload, subject, at }) => ({
      writes: [findingWrites.insert({ ...payload, raisedBy: subject.raisedBy, revision: row.revision, at })],
    }),
    RESOLVE_FINDING: ({ payload }) => ({ writes: [findingWrites.resolve(payload.findingId, payload.note)] }),
    RESPOND_FINDING: ({ payload }) => ({ writes: [findingWrites.respond(payload.findingId, payload.response)] }),
    APPROVE: ({ payload, subject, at }) => ({
      writes: [
        opinionWrites.insert({
          auditorId: subject.auditorId,
          revisionHash: subject.revisionHash,
          kind: payload.opinion,
          assurance: payload.assurance,
          basis: payload.basis ?? null,
          conditions: payload.conditions,
          issuedAt: at,
        }),
      ],
    }),
    FLAG: ({ payload, subject: { opinion }, at }) => {
      if (!opinion) return NO_CHANGES;
      // A flag's opinion replaces the flagger's opinion on that revision (the void reads the step's snapshot).
      return {
        writes: [
          opinionWrites.void(opinion.auditorId, opinion.revisionHash, at),
          opinionWrites.insert({ ...opinion, basis: payload.reason, conditions: [], issuedAt: at }),
        ],
      };
    },
    AMEND: ({ row, reads }) => {
      if (row.state !== CaseStates.reassessment_required) return NO_CHANGES;
      return reads.latestPackVersion ? { changes: { policyPackVersion: reads.latestPackVersion } } : NO_CHANGES;
    },
    RECORD_RELEASE: ({ row, at }) => (row.releasedAt ? NO_CHANGES : { changes: { releasedAt: at } }),
    DEADLINE_PASSED: ({ subject, at }) => ({ writes: [deadlineWrites.markFired(subject.id, at)] }),
  } satisfies { readonly [E in EventsWritingRecords]: RecordWriter<E> };

  /** The event's records as writes of its step, the extra case columns it changes and its extra outbox rows. */
  apply<E extends CaseEventType>(step: AcceptedStep<E>): StepRecords {
    const writer: RecordWriter<E> | undefined = this.writers[step.type];
    const { changes = {}, writes = [] } = writer ? writer(step) : {};
    const outbox: OutboxEntry[] = [];
    // The flagged model version's own walk reaches every depth: a descendant it moves starts none.
    if (step.toState !== step.row.state && LINEAGE_ALARM_STATES.includes(step.toState) && step.type !== CaseEvents.BASE_MODEL_FLAGGED)
      outbox.push({ caseId: step.row.id, kind: OutboxKinds.baseModelFlagged, payload: { modelVersionId: step.row.modelVersionId } });
    return { changes: { ...changes }, writes, outbox };
  }

  /** What `apply` reads beside the case row for this event. */
  static needsOf(type: CaseEventType): { latestPackVersion?: boolean } {
    return type === CaseEvents.AMEND ? { latestPackVersion: true } : {};
  }
}
