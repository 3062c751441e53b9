import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { LogCosignatureRepository, type LogCheckpointRow } from '@app/persistence';
import { consistencyProof, consistencyProofNodes, formatSignatureLine, parseNote, parseVerifierKey } from '@app/tlog';
import { WitnessSubmitter, resolveWitnesses, type WitnessEndpoint, type WitnessOutcome } from '@app/witness-client';
import { LogCheckpointSigner } from './log-checkpoint-signer.service.js';
import { LogTileStore } from './log-tile-store.service.js';

/** First wait after a witness was unreachable (or answered 5xx); doubles up to the maximum. */
export const WITNESS_RETRY_FIRST_MS = 500;
export const WITNESS_RETRY_MAX_MS = 60_000;

/** A witness refused a checkpoint for a reason other than a newer one being ahead of it. */
export type WitnessRefusal = Extract<WitnessOutcome, { status: 'refused' }> & { size: number };

/** One witness's queue: the newest checkpoint not yet submitted to it, and its retry state. */
interface Lane {
  url: string;
  pinnedKey: string | undefined;
  endpoint: WitnessEndpoint | null;
  submitter: WitnessSubmitter | null;
  pending: LogCheckpointRow | null;
  running: Promise<void> | null;
  retryMs: number;
  timer: NodeJS.Timeout | null;
}

/**
 * The log side of C2SP tlog-witness, wired to the checkpoint signer: every checkpoint the log signs
 * is offered to each witness of REGISTRY_WITNESSES in the background, so a slow or down witness
 * never delays signing. Each witness has its own lane that submits the newest checkpoint offered
 * (an older one still waiting is dropped: a witness only needs the latest), resolves the witness's
 * key lazily (pinned by REGISTRY_WITNESS_KEYS or read from it), retries with backoff while the
 * witness is unreachable, and stores each cosignature it gets; the api serves them with the checkpoint.
 */
@Injectable()
export class LogWitnessingService implements OnApplicationShutdown {
  private readonly logger = new Logger(LogWitnessingService.name);
  private readonly lanes: Lane[];
  private readonly abort = new AbortController();
  private refusalListeners: Array<(refusal: WitnessRefusal) => void> = [];
  private started = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly signer: LogCheckpointSigner,
    private readonly tiles: LogTileStore,
    private readonly cosignatures: LogCosignatureRepository,
  ) {
    this.lanes = config.REGISTRY_WITNESSES.map((url, index) => ({
      url,
      pinnedKey: config.REGISTRY_WITNESS_KEYS[index],
      endpoint: null,
      submitter: null,
      pending: null,
      running: null,
      retryMs: WITNESS_RETRY_FIRST_MS,
      timer: null,
    }));
  }

  /** Subscribes to the signer (once; the worker calls it): from now on every signed checkpoint goes to the witnesses. */
  start(): void {
    if (this.started || this.lanes.length === 0) return;
    this.started = true;
    this.signer.onSigned((checkpoint) => this.offer(checkpoint));
    this.logger.log({ witnesses: this.lanes.map((lane) => lane.url) }, 'registry log checkpoints go to witnesses');
  }

  /** Called with each refusal (after the 409 retries C2SP asks for): a witness refuses what the log signed. */
  onRefused(listener: (refusal: WitnessRefusal) => void): void {
    this.refusalListeners.push(listener);
  }

  /** Queues `checkpoint` for every witness and returns at once. */
  offer(checkpoint: LogCheckpointRow): void {
    if (this.abort.signal.aborted) return;
    for (const lane of this.lanes) {
      if (lane.pending && lane.pending.size >= checkpoint.size) continue;
      lane.pending = checkpoint;
      // A witness waiting out a backoff gets the newer checkpoint when the wait ends.
      if (!lane.running && !lane.timer) this.drain(lane);
    }
  }

  private drain(lane: Lane): void {
    lane.running = this.submitPending(lane)
      .catch((error: unknown) => {
        this.logger.error({ err: error, witness: lane.url }, 'witness submission failed');
        this.retryLater(lane);
      })
      .finally(() => {
        lane.running = null;
        if (lane.pending && !lane.timer && !this.abort.signal.aborted) this.drain(lane);
      });
  }

  private async submitPending(lane: Lane): Promise<void> {
    const checkpoint = lane.pending;
    if (!checkpoint) return;
    lane.pending = null;
    const submitter = await this.submitterOf(lane);
    if (!submitter) {
      lane.pending ??= checkpoint;
      return this.retryLater(lane);
    }
    const { checkpoint: merged, outcomes } = await submitter.submit(checkpoint.note);
    const [outcome] = outcomes as [WitnessOutcome];
    switch (outcome.status) {
      case 'cosigned': {
        lane.retryMs = WITNESS_RETRY_FIRST_MS;
        const key = parseVerifierKey(lane.endpoint!.verifierKey)!;
        const signature = parseNote(merged).signatures.find((s) => s.name === key.name && s.keyId === key.keyId);
        if (!signature) throw new Error(`witness ${lane.url}: cosigned, but its cosignature is not on the checkpoint`);
        await this.cosignatures.insert(checkpoint.size, { verifierKey: lane.endpoint!.verifierKey, line: formatSignatureLine(signature.name, signature.keyId, signature.signature) });
        this.logger.debug({ witness: lane.url, size: checkpoint.size }, 'registry log checkpoint cosigned');
        return;
      }
      case 'superseded':
        lane.retryMs = WITNESS_RETRY_FIRST_MS;
        this.logger.debug({ witness: lane.url, size: checkpoint.size, witnessSize: outcome.witnessSize }, 'witness already cosigned a newer checkpoint');
        return;
      case 'unreachable':
        if (this.abort.signal.aborted) return;
        this.logger.warn({ witness: lane.url, size: checkpoint.size, detail: outcome.detail, retryInMs: lane.retryMs }, 'witness unreachable; will retry');
        lane.pending ??= checkpoint;
        return this.retryLater(lane);
      case 'refused':
        if (outcome.httpStatus >= 500) {
          this.logger.warn({ witness: lane.url, size: checkpoint.size, status: outcome.httpStatus, retryInMs: lane.retryMs }, 'witness failed; will retry');
          lane.pending ??= checkpoint;
          return this.retryLater(lane);
        }
        lane.retryMs = WITNESS_RETRY_FIRST_MS;
        // A witness that refuses what the log signed sees a fork or a shrink, or does not trust the log's key: both need a person.
        this.logger.error(
          { witness: lane.url, size: checkpoint.size, status: outcome.httpStatus, detail: outcome.detail },
          `witness ${lane.url} refused to cosign the registry log checkpoint of size ${checkpoint.size} (${outcome.httpStatus})`,
        );
        for (const listener of this.refusalListeners) listener({ ...outcome, size: checkpoint.size });
        return;
    }
  }

  /** The lane's submitter, resolving the witness key on first use; null (and logged) while it cannot be read. */
  private async submitterOf(lane: Lane): Promise<WitnessSubmitter | null> {
    if (lane.submitter) return lane.submitter;
    try {
      const [endpoint] = await resolveWitnesses([lane.url], lane.pinnedKey ? [lane.pinnedKey] : [], { fetch: this.fetch });
      lane.endpoint = endpoint!;
    } catch (error) {
      this.logger.warn({ witness: lane.url, detail: (error as Error).message, retryInMs: lane.retryMs }, 'witness key unavailable; will retry');
      return null;
    }
    lane.submitter = new WitnessSubmitter([lane.endpoint], (from, to) => this.consistencyProof(from, to), { fetch: this.fetch });
    return lane.submitter;
  }

  private async consistencyProof(from: number, to: number): Promise<Buffer[]> {
    const hashAt = await this.tiles.hashAt(to, consistencyProofNodes(from, to));
    return consistencyProof(from, to, hashAt);
  }

  /** The HTTP client to the witnesses (a test puts a fake witness here). */
  protected transport: typeof fetch = fetch;

  /** fetch, also aborted when the worker shuts down (the submitter sets its own timeout). */
  private readonly fetch: typeof fetch = (input, init) =>
    this.transport(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, this.abort.signal]) : this.abort.signal });

  private retryLater(lane: Lane): void {
    if (this.abort.signal.aborted || lane.timer) return;
    const wait = lane.retryMs;
    lane.retryMs = Math.min(WITNESS_RETRY_MAX_MS, lane.retryMs * 2);
    lane.timer = setTimeout(() => {
      lane.timer = null;
      if (lane.pending && !lane.running) this.drain(lane);
    }, wait);
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    for (const lane of this.lanes) if (lane.timer) clearTimeout(lane.timer);
    await Promise.all(this.lanes.map((lane) => lane.running));
  }
}
