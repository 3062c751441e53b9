import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { generateSigningKeyPair, signDocument } from '@app/integrity';
import { RegistryRepository, dbNow, type SigningKeyRow } from '@app/persistence';
import { CaseStates, isCaseState } from '@app/workflow';
import { buildRegistryRecord, checkpointHeads } from './registry-record.util.js';
import { REGISTRY_MILESTONES } from './registry-milestone.util.js';

/** Builds, signs and stores public registry records and checkpoints; shared by the worker's registry jobs. */
@Injectable()
export class RegistryPublisherService {
  private readonly logger = new Logger(RegistryPublisherService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly registry: RegistryRepository,
  ) {}

  /** The active signing key, generated and stored on first need; concurrent callers end up with the same one. */
  async signingKey(): Promise<SigningKeyRow> {
    const existing = await this.registry.activeKey();
    if (existing) return existing;
    await this.registry.insertKeyIfNoneActive(generateSigningKeyPair());
    const key = await this.registry.activeKey();
    if (!key) throw new Error('no active registry signing key after generating one');
    this.logger.log({ keyId: key.keyId }, 'registry signing key in use');
    return key;
  }

  /**
   * Publishes the record of case `caseId` as of history `seq`. Idempotent: a second run for the same
   * (case, seq) stores nothing. Returns why nothing was stored, or the record id.
   */
  async publish(caseId: string, seq: number): Promise<{ published: string | null; skipped?: string }> {
    if (await this.registry.recordExists(caseId, seq)) return { published: null, skipped: 'exists' };
    const source = await this.registry.source(caseId, seq, CaseStates.cleared);
    if (!source) return { published: null, skipped: 'no such history row' };
    if (!isCaseState(source.state) || !REGISTRY_MILESTONES.includes(source.state)) return { published: null, skipped: 'not a milestone' };
    if (!source.everCleared) return { published: null, skipped: 'audit never completed' };
    const key = await this.signingKey();
    const record = buildRegistryRecord(source, { id: randomUUID(), publishedAt: await dbNow(this.dataSource) });
    const signed = signDocument(key, record);
    const stored = await this.registry.insertRecord({
      id: record.id,
      caseId,
      seq,
      publishedAt: record.publishedAt,
      modelName: record.model.name,
      document: signed,
    });
    return stored ? { published: record.id } : { published: null, skipped: 'exists' };
  }

  /** Signs a checkpoint over every case's chain head, unless none changed since the latest one. */
  async signCheckpoint(): Promise<{ checkpoint: string | null }> {
    const key = await this.signingKey();
    return this.dataSource.transaction(async (db) => {
      await this.registry.lockCheckpointing(db);
      const { heads, headsHash } = checkpointHeads(await this.registry.chainHeads(db));
      const latest = await this.registry.latestCheckpoint(db);
      if (latest?.headsHash === headsHash) return { checkpoint: null };
      const checkpoint = { id: randomUUID(), createdAt: await dbNow(db), heads, headsHash };
      await this.registry.insertCheckpoint({ id: checkpoint.id, createdAt: checkpoint.createdAt, headsHash, document: signDocument(key, checkpoint) }, db);
      return { checkpoint: checkpoint.id };
    });
  }
}
