import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, type EntityManager } from 'typeorm';
import { IdempotencyRepository } from '@app/persistence';
import { idempotencyInProgress, idempotencyMismatch, validationFailed } from '@app/problems';
import type { WriteResponse } from './http.util.js';

/**
 * Runs a POST's write in one transaction, storing its first 2xx response under the
 * caller's Idempotency-Key in that same transaction; a replay returns it and writes nothing.
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
    const stored = await this.keys.claim(scope, requestHash);
    if (stored) {
      if (stored.requestHash !== requestHash) throw idempotencyMismatch();
      if (stored.status === null) throw idempotencyInProgress();
      return { status: stored.status, body: stored.body, etag: stored.etag };
    }
    try {
      return await this.dataSource.transaction(async (db) => {
        const result = await work(db);
        await this.keys.complete(scope, result.status, result.body, result.etag ?? null, db);
        return result;
      });
    } catch (error) {
      // Refusals are not stored: the key is free for a corrected request.
      await this.keys.release(scope);
      throw error;
    }
  }
}
