import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseRepository, DeadlineRepository, ModelVersionRepository, OutboxRepository, type Db } from '@app/persistence';
import { CaseEvents, CaseStates, type CaseState } from '@app/workflow';
import { CaseFactsService } from '../transition/case-facts.service.js';
import { CaseTransitionService, OPTIMISTIC_ATTEMPTS } from '../transition/case-transition.service.js';
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
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * Screens the revision against the pinned pack and fires INTAKE_PASSED or INTAKE_FAILED with every
   * reason; `outboxId` (the job's row) is acknowledged by the step's own write, or alone when the
   * revision is no longer in intake. Optimistic, as an api request's event: read, screen, then a
   * version-checked write, again on a lost race; under the row lock after OPTIMISTIC_ATTEMPTS.
   */
  async screenRevision(caseId: string, revision: number, outboxId: string | null = null): Promise<'passed' | 'failed' | 'stale'> {
    for (let i = 0; i < OPTIMISTIC_ATTEMPTS; i++) {
      const outcome = await this.screenOnce(caseId, revision, outboxId, this.dataSource, false);
      if (outcome === 'needs-lock') break;
      if (outcome !== 'lost') return outcome;
    }
    return this.dataSource.transaction(async (db) => {
      const outcome = await this.screenOnce(caseId, revision, outboxId, db, true);
      if (outcome === 'lost' || outcome === 'needs-lock') throw new Error(`a locked intake cannot be ${outcome}`);
      return outcome;
    });
  }

  private async screenOnce(caseId: string, revision: number, outboxId: string | null, db: Db, lock: boolean) {
    const read = await this.transition.readForSystem(caseId, [CaseEvents.INTAKE_PASSED, CaseEvents.INTAKE_FAILED], lock, db);
    if (!read || read.row.state !== CaseStates.intake || read.row.revision !== revision) {
      if (outboxId) await this.outbox.markProcessed(outboxId, db);
      return 'stale';
    }
    const reasons = await this.facts.screen(read.row, db);
    const type = reasons.length === 0 ? CaseEvents.INTAKE_PASSED : CaseEvents.INTAKE_FAILED;
    const payload = reasons.length === 0 ? { revision } : { revision, reasons };
    const result = await this.transition.executeOn({ caseId, actor: 'system', type, payload, acknowledges: outboxId }, read, db, lock);
    if (result === 'lost' || result === 'needs-lock') return result;
    if (!result.applied) {
      if (outboxId) await this.outbox.markProcessed(outboxId, db);
      return 'stale';
    }
    this.logger.log({ caseId, revision, outcome: type, reasons: reasons.length }, 'intake screened');
    return reasons.length === 0 ? 'passed' : 'failed';
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
