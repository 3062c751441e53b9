import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { KEYSETS, Paginator, pageSchema, parseQuery } from '@app/http';
import { OPERATOR_LOG_CHAIN_ID, verifyChain } from '@app/integrity';
import { OperatorLogRepository } from '@app/persistence';

export const operatorLogQuerySchema = z.strictObject(pageSchema);

/** The operator log as a regulator reads it, and the check that it ends at the stored head. */
@Injectable()
export class OperatorLogQuery {
  constructor(
    private readonly log: OperatorLogRepository,
    private readonly paginator: Paginator,
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

  async verify() {
    const head = await this.log.head();
    return verifyChain(OPERATOR_LOG_CHAIN_ID, await this.log.all(), head);
  }
}
