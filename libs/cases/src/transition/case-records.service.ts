import { Injectable } from '@nestjs/common';
import {
  AssignmentRepository,
  ConflictRepository,
  DeadlineRepository,
  FindingRepository,
  OpinionRepository,
  OutboxRepository,
  PolicyPackRepository,
  type CaseChanges,
  type CaseRow,
  type Db,
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
}

/** Writes one event's records and returns the extra case columns it changes. */
type RecordWriter<E extends CaseEventType> = (step: AcceptedStep<E>, db: Db) => Promise<CaseChanges>;

const NO_CHANGES: CaseChanges = {};

/** The domain rows an accepted event writes beside the case (findings, opinions, assignments…). */
@Injectable()
export class CaseRecordsService {
  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly conflicts: ConflictRepository,
    private readonly deadlines: DeadlineRepository,
    private readonly findings: FindingRepository,
    private readonly opinions: OpinionRepository,
    private readonly outbox: OutboxRepository,
    private readonly packs: PolicyPackRepository,
  ) {}

  /**
   * One writer for exactly the events whose catalog entry declares `records`: the compiler
   * refuses one missing, or one for an event that declares none.
   */
  private readonly writers: { readonly [E in CaseEventType]?: RecordWriter<E> } = {
    ASSIGN_AUDITOR: async ({ row, subject, at }, db) => {
      await this.assignments.assign(row.id, subject.auditorId, subject.auditFirmId, at, db);
      return NO_CHANGES;
    },
    REASSIGN_AUDITOR: async ({ row, payload, subject, at }, db) => {
      await this.assignments.unassign(row.id, payload.fromAuditorId, 'reassigned', at, db);
      await this.opinions.void(row.id, payload.fromAuditorId, null, at, db);
      await this.assignments.assign(row.id, subject.auditorId, subject.auditFirmId, at, db);
      return NO_CHANGES;
    },
    DECLARE_CONFLICT: async ({ row, payload, subject, at }, db) => {
      await this.assignments.unassign(row.id, subject.auditorId, 'conflict', at, db);
      await this.opinions.void(row.id, subject.auditorId, null, at, db);
      await this.conflicts.create(
        {
          auditFirmId: subject.auditFirmId,
          developerOrganisationId: row.developerOrganisationId,
          kind: payload.kind,
          scope: payload.scope,
          auditorId: payload.scope === 'individual' ? subject.auditorId : null,
          since: at,
          reason: payload.reason,
          caseId: row.id,
        },
        db,
      );
      return NO_CHANGES;
    },
    ADD_FINDING: async ({ row, payload, subject, at }, db) => {
      await this.findings.insert(row.id, { ...payload, raisedBy: subject.raisedBy, revision: row.revision, at }, db);
      return NO_CHANGES;
    },
    RESOLVE_FINDING: async ({ payload }, db) => {
      await this.findings.resolve(payload.findingId, payload.note, db);
      return NO_CHANGES;
    },
    RESPOND_FINDING: async ({ payload }, db) => {
      await this.findings.respond(payload.findingId, payload.response, db);
      return NO_CHANGES;
    },
    APPROVE: async ({ row, payload, subject, at }, db) => {
      await this.opinions.insert(
        row.id,
        {
          auditorId: subject.auditorId,
          revisionHash: subject.revisionHash,
          kind: payload.opinion,
          assurance: payload.assurance,
          basis: payload.basis ?? null,
          conditions: payload.conditions,
          issuedAt: at,
        },
        db,
      );
      return NO_CHANGES;
    },
    FLAG: async ({ row, payload, subject: { opinion }, at }, db) => {
      if (!opinion) return NO_CHANGES;
      // A flag's opinion replaces the flagger's opinion on that revision.
      await this.opinions.void(row.id, opinion.auditorId, opinion.revisionHash, at, db);
      await this.opinions.insert(row.id, { ...opinion, basis: payload.reason, conditions: [], issuedAt: at }, db);
      return NO_CHANGES;
    },
    AMEND: async ({ row }, db) => {
      if (row.state !== CaseStates.reassessment_required) return NO_CHANGES;
      const latest = await this.packs.latest(row.policyPackId, db);
      return latest ? { policyPackVersion: latest.version } : NO_CHANGES;
    },
    RECORD_RELEASE: async ({ row, at }) => (row.releasedAt ? NO_CHANGES : { releasedAt: at }),
    DEADLINE_PASSED: async ({ subject, at }, db) => {
      await this.deadlines.markFired(subject.id, at, db);
      return NO_CHANGES;
    },
  } satisfies { readonly [E in EventsWritingRecords]: RecordWriter<E> };

  /** Writes the event's records and returns the extra case columns it changes. */
  async apply<E extends CaseEventType>(step: AcceptedStep<E>, db: Db): Promise<CaseChanges> {
    const writer: RecordWriter<E> | undefined = this.writers[step.type];
    const changes = writer ? { ...(await writer(step, db)) } : {};
    // The flagged model version's own walk reaches every depth: a descendant it moves starts none.
    if (step.toState !== step.row.state && LINEAGE_ALARM_STATES.includes(step.toState) && step.type !== CaseEvents.BASE_MODEL_FLAGGED) {
      await this.outbox.add(
        [{ caseId: step.row.id, kind: OutboxKinds.baseModelFlagged, payload: { modelVersionId: step.row.modelVersionId } }],
        db,
      );
    }
    return changes;
  }
}
