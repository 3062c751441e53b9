import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { KEYSETS, Paginator, pageSchema, parseQuery } from '@app/http';
import { ChainVerifier } from '@app/integrity';
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
    @Inject(DataSource) private readonly dataSource: DataSource,
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

  /**
   * The chain recomputed page by page against the head kept on the case, all read in one snapshot:
   * an event appended while a long history is walked is neither past the head nor half seen.
   */
  async verify(user: UserActor, caseId: string) {
    return this.dataSource.transaction('REPEATABLE READ', async (db) => {
      const row = await this.access.readable(user, caseId, db);
      const verifier = new ChainVerifier(row.id, { headHash: row.headHash, lastSeq: row.lastSeq });
      for await (const page of this.history.pages(row.id, db)) verifier.add(page);
      return verifier.result();
    });
  }
}
