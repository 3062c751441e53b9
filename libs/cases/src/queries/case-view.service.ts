import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseViewRepository, iso, type CaseRelations, type CaseRow, type Db, type ModelVersionRow, type StepReads } from '@app/persistence';
import type { Actor, CaseEventType } from '@app/workflow';
import { AllowedEventsService } from '../allowed-events.service.js';

/** The case as `GET /v1/cases/:id` shows it; every reader sees the same fields but allowedEvents. */
@Injectable()
export class CaseViewService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly relations: CaseViewRepository,
    private readonly allowed: AllowedEventsService,
  ) {}

  async render(row: CaseRow, viewer: Actor, db: Db = this.dataSource) {
    // One round trip for the model, assignments, findings, opinions and open deadlines.
    const [relations, allowedEvents] = await Promise.all([
      this.relations.relations(row.id, row.modelVersionId, db),
      this.allowed.forRow(row, viewer, db),
    ]);
    return compose(row, relations, allowedEvents);
  }

  /** A case just created: it has its model and no assignments, findings, opinions or deadlines yet, so nothing to read. */
  async renderNew(created: { row: CaseRow; model: ModelVersionRow }, viewer: Actor, db: Db = this.dataSource) {
    const relations: CaseRelations = { model: created.model, assignments: [], findings: [], opinions: [], deadlines: [] };
    return compose(created.row, relations, await this.allowed.forRow(created.row, viewer, db));
  }

  /**
   * The view after an event from what its two statements returned (CaseTransitionService.fire):
   * no read of its own unless the write did not return the lists.
   */
  async renderStep(step: { row: CaseRow; relations: CaseRelations | null; reads: StepReads }, viewer: Actor, db: Db = this.dataSource) {
    if (!step.relations) return this.render(step.row, viewer, db);
    return compose(step.row, step.relations, await this.allowed.afterStep(step.row, viewer, step.reads, step.relations.findings, db));
  }
}

const compose = (row: CaseRow, { model, assignments, findings, opinions, deadlines }: CaseRelations, allowedEvents: CaseEventType[]) => {
    return {
      id: row.id,
      state: row.state,
      version: row.version,
      revision: row.revision,
      revisionHash: row.revisionHash,
      tier: row.tier,
      releasedAt: iso(row.releasedAt),
      developerOrganisationId: row.developerOrganisationId,
      policyPack: `${row.policyPackId}@${row.policyPackVersion}`,
      workflowVersion: row.workflowVersion,
      model: model && {
        id: model.id,
        name: model.name,
        version: model.version,
        checkpointSha256: model.checkpointSha256,
        baseModels: model.baseModels,
      },
      assessment: row.assessment,
      assignments: assignments.map((a) => ({
        auditorId: a.auditorId,
        auditFirmId: a.auditFirmId,
        assignedAt: iso(a.assignedAt),
        unassignedAt: iso(a.unassignedAt),
      })),
      findings: findings.map((f) => ({ ...f, createdAt: iso(f.createdAt) })),
      opinions: opinions.map((o) => ({ ...o, issuedAt: iso(o.issuedAt) })),
      deadlines: deadlines.map((d) => ({
        id: d.id,
        kind: d.kind,
        dueAt: iso(d.dueAt),
        pausedAt: iso(d.pausedAt),
        escalatedAt: iso(d.escalatedAt),
      })),
      allowedEvents,
      createdAt: iso(row.createdAt),
      stateEnteredAt: iso(row.stateEnteredAt),
    };
};

export type CaseView = ReturnType<typeof compose>;
