import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { signCanonical } from '@app/integrity';
import { RegistryRepository, type SigningKeyRow } from '@app/persistence';
import { MAX_ENTRY_BYTES } from '@app/tlog';
import { CaseStates, isCaseState } from '@app/workflow';
import { buildRegistryRecord } from './registry-record.util.js';
import { REGISTRY_MILESTONES } from './registry-milestone.util.js';
import { externaliseLongTexts } from './registry-entry.util.js';
import { applyRedactions, type RedactionRule } from './redaction.util.js';
import { LogCheckpointSigner } from './log/log-checkpoint-signer.service.js';
import { GroupCommit } from './log/group-commit.js';
import { LogEntryTooLargeError, LogSequencer, logEntryBytes } from './log/log-sequencer.service.js';
import { RegistrySigningKeyService } from './log/registry-signing-key.service.js';

/** A signed record ready to store and log, with the outbox row of the job that publishes it. */
interface SignedRecord {
  record: { id: string; publishedAt: string } & Record<string, unknown>;
  caseId: string;
  seq: number;
  modelName: string;
  texts: Array<{ sha256: string; text: string }>;
  withheld: Array<{ path: string; reason: string; salt: string; value: unknown }>;
  bytes: Buffer;
  outboxId: string | null;
}

export interface PublishOutcome {
  published: string | null;
  skipped?: string;
  /** The job's outbox row was marked processed in the transaction that stored the record. */
  acknowledged: boolean;
}

/**
 * Builds, signs and stores public registry records, appending each to the transparency log in the
 * transaction that stores it; shared by the worker's registry jobs. Records signed while another
 * batch is being logged are stored and logged together (group commit): one log lock, one tile
 * write and one tree state per batch instead of per record.
 */
@Injectable()
export class RegistryPublisherService {
  private readonly commits = new GroupCommit<SignedRecord, PublishOutcome>((batch) => this.store(batch));

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly registry: RegistryRepository,
    private readonly sequencer: LogSequencer,
    private readonly checkpoints: LogCheckpointSigner,
    private readonly keys: RegistrySigningKeyService,
  ) {}

  /** The active signing key (configured, or generated and kept in Postgres). */
  async signingKey(): Promise<SigningKeyRow> {
    return this.keys.signingKey();
  }

  /**
   * Publishes the record of case `caseId` as of history `seq`. Idempotent: a second run for the same
   * (case, seq) stores nothing. Returns why nothing was stored, or the record id. `outboxId` (the
   * job's row) is acknowledged with the record when one is stored.
   */
  async publish(caseId: string, seq: number, outboxId: string | null = null): Promise<PublishOutcome> {
    const { exists, source, redactions: rules, activeKey, now } = await this.registry.publicationSource(caseId, seq, CaseStates.cleared);
    if (exists) return { published: null, skipped: 'exists', acknowledged: false };
    if (!source) return { published: null, skipped: 'no such history row', acknowledged: false };
    if (!isCaseState(source.state) || !REGISTRY_MILESTONES.includes(source.state)) return { published: null, skipped: 'not a milestone', acknowledged: false };
    if (!source.everCleared) return { published: null, skipped: 'audit never completed', acknowledged: false };
    const key = await this.keys.signingKey(activeKey);
    const built = buildRegistryRecord(source, { id: randomUUID(), publishedAt: now });
    // Withhold before externalising, so a withheld long text is never served by hash either.
    const { record: redacted, redactions, withheld } = applyRedactions(built, rules as RedactionRule[]);
    const { value: body, texts } = externaliseLongTexts(redacted);
    // SPEC's record: `kind` and `keyId` are signed; the signature covers the JCS of everything else.
    const unsigned = { kind: 'record' as const, ...body, redactions, keyId: key.keyId };
    const record = { ...unsigned, signature: signCanonical(key.privateKeyPem, unsigned) };
    const bytes = logEntryBytes(record);
    // Refused here, so one oversized record never fails the batch it would have joined.
    if (bytes.length > MAX_ENTRY_BYTES) throw new LogEntryTooLargeError(`a log entry is at most ${MAX_ENTRY_BYTES} bytes, got ${bytes.length}`);
    return this.commits.submit({ record, caseId, seq, modelName: built.model.name, texts, withheld, bytes, outboxId });
  }

  /** One batch: its records, texts, withheld values and acknowledgements in one statement, then one log append. */
  private store(batch: SignedRecord[]): Promise<PublishOutcome[]> {
    return this.dataSource.transaction(async (db) => {
      const stored = new Set(
        await this.registry.insertRecords(
          batch.map((b) => ({ ...b, id: b.record.id, publishedAt: b.record.publishedAt, document: b.record })),
          batch.flatMap((b) => (b.outboxId ? [b.outboxId] : [])),
          db,
        ),
      );
      const logged = batch.filter((b) => stored.has(b.record.id));
      // Every record was published already (a job sent again): nothing to log, no lock to take.
      if (logged.length > 0) await this.sequencer.append(db, logged.map((b) => ({ kind: 'record', bytes: b.bytes, recordId: b.record.id })));
      return batch.map((b) =>
        stored.has(b.record.id) ? { published: b.record.id, acknowledged: true } : { published: null, skipped: 'exists', acknowledged: true },
      );
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
