import { Injectable } from '@nestjs/common';
import { CaseRepository, DeadlineRepository, type Db } from '@app/persistence';
import { CaseEvents } from '@app/workflow';
import { CaseRecordService } from '../transition/case-record.service.js';

/**
 * An incident's final-report deadline comes due: it escalates like an audit's (one DEADLINE_PASSED
 * history row, regulators notified, the case in the overdue queue while it stays open), recorded
 * beside the machine, so it applies in whatever state the case is. Harmless when repeated.
 */
@Injectable()
export class EscalateIncidentDeadlineUseCase {
  constructor(
    private readonly cases: CaseRepository,
    private readonly deadlines: DeadlineRepository,
    private readonly records: CaseRecordService,
  ) {}

  /** Inside the caller's transaction; false when the deadline is closed, escalated or not yet due. */
  async execute(caseId: string, deadlineId: string, db: Db): Promise<boolean> {
    const locked = await this.cases.lockWithNow(caseId, db);
    if (!locked) return false;
    const deadline = await this.deadlines.findFirableOfIncident(caseId, deadlineId, db);
    if (!deadline) return false;
    await this.deadlines.markFired(deadline.id, locked.now, db);
    await this.deadlines.escalate(deadline.id, locked.now, db);
    await this.records.record(
      { locked, actor: 'system', type: CaseEvents.DEADLINE_PASSED, payload: { deadlineId, incidentId: deadline.incidentId } },
      [],
      db,
    );
    return true;
  }
}
