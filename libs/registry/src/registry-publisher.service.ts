import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { signCanonical } from '@app/integrity';
import { RedactionRepository, RegistryRepository, TransparencyLogRepository, dbNow, type SigningKeyRow } from '@app/persistence';
import { CaseStates, isCaseState } from '@app/workflow';
import { buildRegistryRecord } from './registry-record.util.js';
import { REGISTRY_MILESTONES } from './registry-milestone.util.js';
import { externaliseLongTexts } from './registry-entry.util.js';
import { applyRedactions, type RedactionRule } from './redaction.util.js';
import { LogCheckpointSigner } from './log/log-checkpoint-signer.service.js';
import { LogSequencer, logEntryBytes } from './log/log-sequencer.service.js';
import { RegistrySigningKeyService } from './log/registry-signing-key.service.js';

/**
 * Builds, signs and stores public registry records, appending each to the transparency log in the
 * transaction that stores it; shared by the worker's registry jobs.
 */
@Injectable()
export class RegistryPublisherService {

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly registry: RegistryRepository,
    private readonly log: TransparencyLogRepository,
    private readonly sequencer: LogSequencer,
    private readonly checkpoints: LogCheckpointSigner,
    private readonly keys: RegistrySigningKeyService,
    private readonly redactions: RedactionRepository,
  ) {}

  /** The active signing key (configured, or generated and kept in Postgres). */
  async signingKey(): Promise<SigningKeyRow> {
    return this.keys.signingKey();
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
    const built = buildRegistryRecord(source, { id: randomUUID(), publishedAt: await dbNow(this.dataSource) });
    // Withhold before externalising, so a withheld long text is never served by hash either.
    const rules = (await this.redactions.ofCase(caseId)) as RedactionRule[];
    const { record: redacted, redactions, withheld } = applyRedactions(built, rules);
    const { value: body, texts } = externaliseLongTexts(redacted);
    // SPEC's record: `kind` and `keyId` are signed; the signature covers the JCS of everything else.
    const unsigned = { kind: 'record' as const, ...body, redactions, keyId: key.keyId };
    const record = { ...unsigned, signature: signCanonical(key.privateKeyPem, unsigned) };
    return this.dataSource.transaction(async (db) => {
      const stored = await this.registry.insertRecord(
        { id: record.id, caseId, seq, publishedAt: record.publishedAt, modelName: built.model.name, document: record },
        db,
      );
      if (!stored) return { published: null, skipped: 'exists' };
      await this.log.insertTexts(record.id, texts, db);
      await this.redactions.insertWithheld(record.id, withheld, db);
      await this.sequencer.append(db, [{ kind: 'record', bytes: logEntryBytes(record), recordId: record.id }]);
      return { published: record.id };
    });
  }

  /** Logs records published before the transparency log (idempotent): a boot step of the worker. */
  async logLegacyRecords(): Promise<void> {
    await this.dataSource.transaction((db) => this.sequencer.append(db, []));
  }

  /** Signs a transparency-log checkpoint when the tree grew (at most one per second). */
  async signCheckpoint(): Promise<{ checkpoint: number | null }> {
    const { checkpoint } = await this.checkpoints.signIfGrown();
    return { checkpoint: checkpoint?.size ?? null };
  }
}
