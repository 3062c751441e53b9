import { Injectable } from '@nestjs/common';
import { RedactionRepository } from '@app/persistence';
import type { UserActor } from '@app/workflow';
import { CaseAccessService } from '../queries/case-access.service.js';

/** `GET /v1/cases/:id/redactions`: the openings of every commitment the case's records carry, for its readers. */
@Injectable()
export class RedactionsQuery {
  constructor(
    private readonly redactions: RedactionRepository,
    private readonly access: CaseAccessService,
  ) {}

  async list(user: UserActor, caseId: string) {
    const row = await this.access.readable(user, caseId);
    const items = await this.redactions.withheldOfCase(row.id);
    return { items: items.map(({ recordId, path, reason, salt, value }) => ({ recordId, path, reason, salt, value })) };
  }
}
