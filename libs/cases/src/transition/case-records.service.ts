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
import { CaseEvents, CaseStates, type CaseContext, type CaseEventType, type CaseState, type EventFacts, type UserActor } from '@app/workflow';

/** States of an ancestor that send its descendants' clearances to reassessment. */
const LINEAGE_ALARM_STATES: readonly CaseState[] = [CaseStates.held, CaseStates.revoked, CaseStates.reassessment_required];

export interface AcceptedStep {
  row: CaseRow;
  actor: UserActor | 'system';
  type: CaseEventType;
  payload: Record<string, unknown>;
  facts: EventFacts;
  toState: CaseState;
  context: CaseContext;
  at: string;
}

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

  /** Writes the event's records and returns the extra case columns it changes. */
  async apply(step: AcceptedStep, db: Db): Promise<CaseChanges> {
    const { row, payload, at } = step;
    const user = step.actor === 'system' ? null : step.actor;
    const changes: CaseChanges = {};
    switch (step.type) {
      case CaseEvents.ASSIGN_AUDITOR:
        await this.assignments.assign(row.id, step.facts.candidate!.id, step.facts.candidate!.organisationId!, at, db);
        break;
      case CaseEvents.REASSIGN_AUDITOR:
        await this.assignments.unassign(row.id, String(payload.fromAuditorId), 'reassigned', at, db);
        await this.opinions.void(row.id, String(payload.fromAuditorId), null, at, db);
        await this.assignments.assign(row.id, step.facts.candidate!.id, step.facts.candidate!.organisationId!, at, db);
        break;
      case CaseEvents.DECLARE_CONFLICT:
        await this.assignments.unassign(row.id, user!.id, 'conflict', at, db);
        await this.opinions.void(row.id, user!.id, null, at, db);
        await this.conflicts.create(
          {
            auditFirmId: user!.organisationId!,
            developerOrganisationId: row.developerOrganisationId,
            kind: String(payload.kind),
            scope: payload.scope as 'firm' | 'individual',
            auditorId: payload.scope === 'individual' ? user!.id : null,
            since: at,
            reason: String(payload.reason),
            caseId: row.id,
          },
          db,
        );
        break;
      case CaseEvents.ADD_FINDING:
        await this.findings.insert(
          row.id,
          {
            severity: String(payload.severity),
            title: String(payload.title),
            detail: String(payload.detail),
            component: payload.component as string | undefined,
            domain: payload.domain as string | undefined,
            raisedBy: user!.id,
            revision: row.revision,
            at,
          },
          db,
        );
        break;
      case CaseEvents.RESOLVE_FINDING:
        await this.findings.resolve(String(payload.findingId), String(payload.note), db);
        break;
      case CaseEvents.RESPOND_FINDING:
        await this.findings.respond(String(payload.findingId), String(payload.response), db);
        break;
      case CaseEvents.APPROVE:
        await this.opinions.insert(
          row.id,
          {
            auditorId: user!.id,
            revisionHash: row.revisionHash!,
            kind: payload.opinion as 'unmodified' | 'qualified',
            assurance: payload.assurance as 'reasonable' | 'limited',
            basis: (payload.basis as string | undefined) ?? null,
            conditions: payload.conditions as [],
            issuedAt: at,
          },
          db,
        );
        break;
      case CaseEvents.FLAG:
        if (payload.opinion !== undefined && user) {
          // A flag's opinion replaces the flagger's opinion on that revision.
          await this.opinions.void(row.id, user.id, row.revisionHash, at, db);
          await this.opinions.insert(
            row.id,
            {
              auditorId: user.id,
              revisionHash: row.revisionHash!,
              kind: payload.opinion as 'adverse' | 'disclaimer',
              assurance: payload.assurance as 'reasonable' | 'limited',
              basis: String(payload.reason),
              conditions: [],
              issuedAt: at,
            },
            db,
          );
        }
        break;
      case CaseEvents.AMEND:
        if (row.state === CaseStates.reassessment_required) {
          const latest = await this.packs.latest(row.policyPackId, db);
          if (latest) changes.policyPackVersion = latest.version;
        }
        break;
      case CaseEvents.DEADLINE_PASSED:
        await this.deadlines.markFired(step.facts.deadline!.id, at, db);
        break;
      case CaseEvents.RECORD_RELEASE:
        if (!row.releasedAt) changes.releasedAt = at;
        break;
      default:
        break;
    }
    if (step.toState !== row.state && LINEAGE_ALARM_STATES.includes(step.toState)) {
      await this.outbox.add(
        [{ caseId: row.id, kind: OutboxKinds.baseModelFlagged, payload: { modelVersionId: row.modelVersionId } }],
        db,
      );
    }
    return changes;
  }
}
