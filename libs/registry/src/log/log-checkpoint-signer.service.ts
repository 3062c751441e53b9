import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ADVISORY_LOCKS, TransparencyLogRepository, type LogCheckpointRow } from '@app/persistence';
import { bytesEqual, signCheckpoint } from '@app/tlog';
import { RegistrySigningKeyService } from './registry-signing-key.service.js';

/** At most one checkpoint per second (SPEC). */
export const MIN_CHECKPOINT_INTERVAL_MS = 1000;

/** Called after a checkpoint commits: the seam a witness submitter plugs into. */
export type CheckpointSignedListener = (checkpoint: LogCheckpointRow) => void | Promise<void>;

export class LogForkError extends Error {}

/**
 * Signs a C2SP checkpoint of the integrated tree when it has grown, at most once per second.
 * Under one advisory lock it re-reads the latest checkpoint, so two signers never sign one size
 * twice; the database refuses a checkpoint whose size is not larger than every earlier one.
 */
@Injectable()
export class LogCheckpointSigner {
  private readonly logger = new Logger(LogCheckpointSigner.name);
  private readonly listeners: CheckpointSignedListener[] = [];

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly log: TransparencyLogRepository,
    private readonly keys: RegistrySigningKeyService,
  ) {}

  onSigned(listener: CheckpointSignedListener): void {
    this.listeners.push(listener);
  }

  /** Signs when the tree outgrew the latest checkpoint (or none exists) and a second has passed since it. */
  async signIfGrown(): Promise<{ checkpoint: LogCheckpointRow | null; waitMs?: number }> {
    // One unlocked read answers the common case (nothing grew, or too soon) for a loop polling often.
    const seen = await this.log.stateAndLatestCheckpoint();
    if (seen.latest && seen.latest.size >= seen.state.size) {
      this.refuseFork(seen.state, seen.latest);
      return { checkpoint: null };
    }
    if (seen.latest && seen.latest.ms < MIN_CHECKPOINT_INTERVAL_MS) return { checkpoint: null, waitMs: Math.ceil(MIN_CHECKPOINT_INTERVAL_MS - seen.latest.ms) };
    const signer = await this.keys.noteSigner();
    const signed = await this.dataSource.transaction(async (db) => {
      await this.log.lockCheckpointing(db, ADVISORY_LOCKS.registryLogCheckpoint);
      const state = await this.log.state(db);
      const latest = await this.log.latestCheckpoint(db);
      if (latest && latest.size >= state.size) {
        this.refuseFork(state, latest);
        return { checkpoint: null };
      }
      const since = await this.log.msSinceLatestCheckpoint(db);
      if (since !== null && since < MIN_CHECKPOINT_INTERVAL_MS) return { checkpoint: null, waitMs: Math.ceil(MIN_CHECKPOINT_INTERVAL_MS - since) };
      const note = signCheckpoint({ origin: this.config.REGISTRY_LOG_ORIGIN, size: state.size, rootHash: state.root }, [signer]);
      await this.log.insertCheckpoint({ size: state.size, root: state.root, note, keyId: signer.registryKeyId }, db);
      return { checkpoint: (await this.log.latestCheckpoint(db))! };
    });
    if (signed.checkpoint) {
      this.logger.debug({ size: signed.checkpoint.size }, 'registry log checkpoint signed');
      for (const listener of this.listeners) {
        await Promise.resolve(listener(signed.checkpoint)).catch((error: unknown) => this.logger.warn({ err: error }, 'checkpoint listener failed'));
      }
    }
    return signed;
  }

  /** The tree state and the checkpoints are both append-only: a disagreement is a fork, never signed over. */
  private refuseFork(state: { size: number; root: Buffer }, latest: { size: number; root: Buffer }): void {
    if (latest.size > state.size || !bytesEqual(latest.root, state.root)) {
      throw new LogForkError(`registry log state (${state.size}) disagrees with its checkpoint of size ${latest.size}`);
    }
  }
}
