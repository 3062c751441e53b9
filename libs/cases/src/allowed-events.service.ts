import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CaseRow, Db, FindingRow, StepReads } from '@app/persistence';
import { CaseEvents, acceptsEvent, actorMayFire, allowedEvents, type Actor, type CaseEventType } from '@app/workflow';
import { CaseFactsService } from './transition/case-facts.service.js';

/** The caller's allowedEvents: actor, state and payload-independent guards. */
@Injectable()
export class AllowedEventsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly facts: CaseFactsService,
  ) {}

  async forRow(row: CaseRow, actor: Actor, db: Db = this.dataSource): Promise<CaseEventType[]> {
    if (actor === 'system') return [];
    // The approval facts feed only APPROVE's guards: skip their queries when the actor or the state rules APPROVE out.
    const mayApprove =
      actorMayFire(CaseEvents.APPROVE, actor, row.context) && acceptsEvent(row.workflowVersion, row.state, CaseEvents.APPROVE);
    const approval = mayApprove ? await this.facts.forApproval(row, actor, db) : {};
    return allowedEvents(row.workflowVersion, row.state, row.context, { actor, ...approval });
  }

  /**
   * `forRow` after a step, from its read (the actor's conflicts; a step never changes them for an
   * auditor who may still approve) and the findings the step left (blocking ones).
   */
  async afterStep(row: CaseRow, actor: Actor, reads: StepReads, findings: Array<Pick<FindingRow, 'severity' | 'status'>>, db: Db): Promise<CaseEventType[]> {
    const blockingFindings = findings.filter((f) => (f.severity === 'major' || f.severity === 'critical') && f.status !== 'resolved').length;
    return this.fromReads(row, actor, { ...reads, blockingFindings }, db);
  }

  /** `forRow` from a step's read, which fetched APPROVE's facts for this actor (CaseFactsService.needsOf). */
  async fromReads(row: CaseRow, actor: Actor, reads: StepReads, db: Db): Promise<CaseEventType[]> {
    if (actor === 'system') return [];
    const approval = await this.facts.approvalFrom(row, actor, reads, db);
    return allowedEvents(row.workflowVersion, row.state, row.context, { actor, ...approval });
  }
}
