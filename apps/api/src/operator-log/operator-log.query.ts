import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { KEYSETS, Paginator, pageSchema, parseQuery } from '@app/http';
import { ChainVerifier, OPERATOR_LOG_CHAIN_ID } from '@app/integrity';
import { OperatorLogRepository } from '@app/persistence';

export const operatorLogQuerySchema = z.strictObject(pageSchema);

/** The operator log as a regulator reads it, and the check that it ends at the stored head. */
@Injectable()
export class OperatorLogQuery {
  constructor(
    private readonly log: OperatorLogRepository,
    private readonly paginator: Paginator,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  /** Ascending by seq. */
  async page(rawQuery: unknown) {
    const q = parseQuery(operatorLogQuerySchema, rawQuery);
    return this.paginator.paginate(q, {
      fingerprint: OPERATOR_LOG_CHAIN_ID,
      keyset: KEYSETS.seq,
      fetch: (after, limit) => this.log.page(after ? after[0] : 0, limit),
      keyOf: (item) => [item.seq],
      view: (item) => item,
    });
  }

  /** The chain recomputed page by page against the head, all read in one snapshot (as a case's history). */
  async verify() {
    return this.dataSource.transaction('REPEATABLE READ', async (db) => {
      const verifier = new ChainVerifier(OPERATOR_LOG_CHAIN_ID, await this.log.head(db));
      for await (const page of this.log.pages(db)) verifier.add(page);
      return verifier.result();
    });
  }
}
