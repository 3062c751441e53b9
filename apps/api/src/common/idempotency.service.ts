import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, type EntityManager } from 'typeorm';
import { IdempotencyRepository } from '@app/persistence';
import { idempotencyInProgress, idempotencyMismatch, validationFailed } from '@app/problems';
import type { WriteResponse } from './http.util.js';

/**
 * Runs a POST's write in one transaction. With an Idempotency-Key, the key is claimed in that
 * transaction and its first 2xx response stored there too; a replay returns it and writes nothing.
 * The claim dies with the transaction, so a retry after the api process died is answered at once.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly keys: IdempotencyRepository,
  ) {}

  async run(
    request: Request,
    userId: string,
    requestHash: string,
    work: (db: EntityManager) => Promise<WriteResponse>,
  ): Promise<WriteResponse> {
    const key = request.headers['idempotency-key'];
    if (key === undefined) return this.dataSource.transaction(work);
    if (typeof key !== 'string' || key.length === 0 || key.length > 255)
      throw validationFailed([{ path: '$header.Idempotency-Key', message: 'must be 1 to 255 characters' }]);
    const scope = { userId, method: request.method, path: request.path, key };
    // A refusal rolls the transaction back, claim included: refusals are not stored.
    return this.dataSource.transaction(async (db) => {
      const claim = await this.keys.claim(scope, db);
      if (claim.kind === 'busy') throw idempotencyInProgress();
      if (claim.kind === 'stored') {
        if (claim.stored.requestHash !== requestHash) throw idempotencyMismatch();
        return { status: claim.stored.status, body: claim.stored.body, etag: claim.stored.etag };
      }
      const result = await work(db);
      await this.keys.store(scope, requestHash, { status: result.status, body: result.body, etag: result.etag ?? null }, db);
      return result;
    });
  }
}
