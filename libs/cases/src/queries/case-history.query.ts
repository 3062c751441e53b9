import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { KEYSETS, Paginator, pageSchema, parseQuery } from '@app/http';
import { verifyChain } from '@app/integrity';
import { HistoryRepository } from '@app/persistence';
import type { UserActor } from '@app/workflow';
import { CaseAccessService } from './case-access.service.js';

export const historyQuerySchema = z.strictObject(pageSchema);

/** A readable case's hash-chained history, and the check that it ends at the stored head. */
@Injectable()
export class CaseHistoryQuery {
  constructor(
    private readonly access: CaseAccessService,
    private readonly history: HistoryRepository,
    private readonly paginator: Paginator,
  ) {}

  /** Ascending by seq (404 before 400, SPEC.md). */
  async page(user: UserActor, caseId: string, rawQuery: unknown) {
    const row = await this.access.readable(user, caseId);
    const q = parseQuery(historyQuerySchema, rawQuery);
    return this.paginator.paginate(q, {
      fingerprint: `history:${row.id}`,
      keyset: KEYSETS.seq,
      fetch: (after, limit) => this.history.page(row.id, after ? after[0] : 0, limit),
      keyOf: (item) => [item.seq],
      view: (item) => item,
    });
  }

  async verify(user: UserActor, caseId: string) {
    const row = await this.access.readable(user, caseId);
    const items = await this.history.all(row.id);
    return verifyChain(row.id, items, { headHash: row.headHash, lastSeq: row.lastSeq });
  }
}
