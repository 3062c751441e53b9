import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CaseRow, Db } from '@app/persistence';
import { allowedEvents, type Actor, type CaseEventType } from '@app/workflow';
import { CaseFactsService } from './case-facts.service.js';

/** The caller's allowedEvents: actor, state and payload-independent guards. */
@Injectable()
export class AllowedEventsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly facts: CaseFactsService,
  ) {}

  async forRow(row: CaseRow, actor: Actor, db: Db = this.dataSource): Promise<CaseEventType[]> {
    if (actor === 'system') return [];
    const approval = await this.facts.forApproval(row, actor, db);
    return allowedEvents(row.workflowVersion, row.state, row.context, { actor, ...approval });
  }
}
