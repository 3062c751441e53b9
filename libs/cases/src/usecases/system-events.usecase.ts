import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseRepository, DeadlineRepository, ModelVersionRepository } from '@app/persistence';
import { CaseEvents, CaseStates, type CaseState } from '@app/workflow';
import { CaseFactsService } from '../transition/case-facts.service.js';
import { CaseTransitionService } from '../transition/case-transition.service.js';
import { EscalateIncidentDeadlineUseCase } from '../incidents/escalate-incident-deadline.usecase.js';

const FLAGGABLE: readonly CaseState[] = [CaseStates.cleared, CaseStates.released];

/** What the worker does to cases; each call is one transaction and harmless when repeated. */
@Injectable()
export class SystemEventsUseCase {
  private readonly logger = new Logger(SystemEventsUseCase.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly models: ModelVersionRepository,
    private readonly deadlines: DeadlineRepository,
    private readonly facts: CaseFactsService,
    private readonly transition: CaseTransitionService,
    private readonly incidentDeadlines: EscalateIncidentDeadlineUseCase,
  ) {}

  /**
   * Screens the revision against the pinned pack and fires INTAKE_PASSED or INTAKE_FAILED with every
   * reason. `outboxId` (the job's row) is acknowledged in the transaction, whatever the outcome.
   */
  async screenRevision(caseId: string, revision: number, outboxId: string | null = null): Promise<'passed' | 'failed' | 'stale'> {
    return this.dataSource.transaction(async (db) => {
      const locked = await this.cases.lockWithNow(caseId, db, outboxId);
      if (!locked || locked.row.state !== CaseStates.intake || locked.row.revision !== revision) return 'stale';
      const { row } = locked;
      const reasons = await this.facts.screen(row, db);
      const type = reasons.length === 0 ? CaseEvents.INTAKE_PASSED : CaseEvents.INTAKE_FAILED;
      const payload = reasons.length === 0 ? { revision } : { revision, reasons };
      const result = await this.transition.execute({ caseId, actor: 'system', type, payload }, db, locked);
      if (!result.applied) return 'stale';
      this.logger.log({ caseId, revision, outcome: type, reasons: reasons.length }, 'intake screened');
      return reasons.length === 0 ? 'passed' : 'failed';
    });
  }

  /** Fires a deadline if it is still open, unpaused and due by the Postgres clock. */
  async fireDeadline(caseId: string, deadlineId: string): Promise<boolean> {
    // An incident's deadline escalates beside the machine, in any state of its case.
    if (await this.deadlines.isIncidentDeadline(deadlineId))
      return this.dataSource.transaction((db) => this.incidentDeadlines.execute(caseId, deadlineId, db));
    return this.dataSource.transaction(async (db) => {
      const result = await this.transition.execute(
        { caseId, actor: 'system', type: CaseEvents.DEADLINE_PASSED, payload: { deadlineId } },
        db,
      );
      return result.applied;
    });
  }

  /**
   * The sweep: fires due deadlines whose jobs Redis lost, each in its own transaction that
   * holds the case from claim to firing, so concurrent sweeps never fire the same one.
   */
  async sweepDueDeadlines(max = 500): Promise<number> {
    let fired = 0;
    for (let i = 0; i < max; i++) {
      const claimed = await this.dataSource.transaction(async (db) => {
        const deadline = await this.deadlines.claimDue(db);
        if (!deadline) return null;
        if (deadline.incidentId) {
          if (!(await this.incidentDeadlines.execute(deadline.caseId, deadline.id, db)))
            await this.deadlines.markFired(deadline.id, new Date().toISOString(), db);
          return deadline;
        }
        const result = await this.transition.execute(
          { caseId: deadline.caseId, actor: 'system', type: CaseEvents.DEADLINE_PASSED, payload: { deadlineId: deadline.id } },
          db,
        );
        // A due deadline the machine will not take (its state was left) must not be claimed forever.
        if (!result.applied) await this.deadlines.markFired(deadline.id, new Date().toISOString(), db);
        return deadline;
      });
      if (!claimed) break;
      fired++;
    }
    return fired;
  }

  /**
   * Sends cleared or released descendants of a flagged model version, at any depth, to
   * reassessment, each naming the flagged one. A descendant whose case is in another state is
   * skipped but still walked through. A retry finds the moved ones no longer flaggable.
   */
  async baseModelFlagged(modelVersionId: string): Promise<number> {
    const descendants = await this.models.descendantsAtAnyDepth(modelVersionId);
    const caseIds = await this.cases.casesOfModelVersions(descendants, FLAGGABLE);
    let moved = 0;
    for (const caseId of caseIds) {
      moved += await this.dataSource.transaction(async (db) => {
        const result = await this.transition.execute(
          { caseId, actor: 'system', type: CaseEvents.BASE_MODEL_FLAGGED, payload: { modelVersionId } },
          db,
        );
        return result.applied ? 1 : 0;
      });
    }
    return moved;
  }
}
