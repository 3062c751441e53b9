import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { isUuid } from '@app/http';
import { LogCosignatureRepository, TransparencyLogRepository, type LogCheckpointRow } from '@app/persistence';
import { ProblemError, notFound } from '@app/problems';
import {
  consistencyProof,
  consistencyProofNodes,
  encodeBase64,
  inclusionProof,
  inclusionProofNodes,
  parseNote,
  parseTilePath,
  parseVerifierKey,
  signNote,
  TILE_WIDTH,
} from '@app/tlog';
import { FullTileCache } from './full-tile-cache.js';
import { LogTileStore } from './log-tile-store.service.js';
import { RegistrySigningKeyService } from './registry-signing-key.service.js';

/** Seconds a client should wait for the next checkpoint. */
export const NOT_YET_LOGGED_RETRY_S = 1;

export const notYetLogged = (detail: string) => new ProblemError(409, 'not-yet-logged', 'Not yet logged', detail);

/** C2SP tlog-tiles: every tile and bundle path, full or partial, is immutable. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Full tiles kept in memory per api process: 64 MiB is 8,192 full hash tiles. */
const FULL_TILE_CACHE_BYTES = 64 * 1024 * 1024;

const badRequest = (detail: string) => new ProblemError(400, 'validation', 'Validation failed', detail, { errors: [{ path: '$', message: detail }] });

/** What anyone may read of the transparency log: checkpoint, tiles, bundles, key, proofs. */
@Injectable()
export class RegistryLogQuery {
  private readonly fullTiles = new FullTileCache(FULL_TILE_CACHE_BYTES);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly log: TransparencyLogRepository,
    private readonly tiles: LogTileStore,
    private readonly keys: RegistrySigningKeyService,
    private readonly cosignatures: LogCosignatureRepository,
  ) {}

  async latestCheckpoint(): Promise<LogCheckpointRow | null> {
    return this.log.latestCheckpoint();
  }

  /** The latest checkpoint with the log's signature and every witness cosignature received for it so far. */
  async checkpoint(): Promise<string> {
    const latest = await this.log.latestCheckpoint();
    if (!latest) throw notFound('the log has no checkpoint yet');
    const cosignatures = await this.cosignatures.ofCheckpoint(latest.size);
    if (cosignatures.length === 0) return latest.note;
    // Stored lines were verified when they arrived; parsing them back keeps the note well formed.
    const { text, signatures } = parseNote(latest.note);
    const received = cosignatures.flatMap(({ line }) => parseNote(`${text}\n${line}`).signatures);
    return signNote(text, [], [...signatures, ...received]);
  }

  /** The witnesses whose cosignatures the checkpoint carries: those on the newest cosigned checkpoint. */
  async witnesses(): Promise<Array<{ name: string; verifierKey: string }>> {
    return (await this.cosignatures.latestWitnessKeys()).map((verifierKey) => ({ name: parseVerifierKey(verifierKey)!.name, verifierKey }));
  }

  /** The C2SP verifier key of the log's checkpoints. */
  async verifierKey(): Promise<string> {
    return (await this.keys.noteSigner()).verifierKey;
  }

  /** A full tile or bundle already served once, from memory; undefined when not held (ask `tile`). */
  cachedFullTile(path: string): Buffer | undefined {
    return this.fullTiles.get(path);
  }

  /** A tile or entry bundle by its C2SP path (`tile/0/x001/234`, `tile/entries/000.p/7`), as of the latest checkpoint. */
  async tile(path: string): Promise<Buffer> {
    const parsed = parseTilePath(path);
    if (!parsed) throw notFound('no such tile path');
    const full = parsed.width === TILE_WIDTH;
    const cached = full ? this.fullTiles.get(path) : undefined;
    if (cached) return cached;
    const latest = await this.log.latestCheckpoint();
    const size = latest?.size ?? 0;
    const data =
      parsed.kind === 'entries'
        ? await this.tiles.bundle(parsed.index, parsed.width, size)
        : await this.tiles.tile({ level: parsed.level, index: parsed.index, width: parsed.width }, size);
    if (!data) throw notFound('no such tile in the latest checkpoint\'s tree');
    if (full) this.fullTiles.set(path, data);
    return data;
  }

  /** The inclusion proof of a record against the latest checkpoint. */
  async proof(recordId: string): Promise<{ logIndex: number; treeSize: number; inclusionProof: string[]; checkpoint: string }> {
    const index = isUuid(recordId) ? await this.log.logIndexOfRecord(recordId) : null;
    if (index === null) {
      if (isUuid(recordId) && (await this.log.recordExists(recordId))) throw notYetLogged('the record is not in the log yet');
      throw notFound('no such registry record');
    }
    const latest = await this.log.latestCheckpoint();
    if (!latest || latest.size <= index) throw notYetLogged('no checkpoint covers the record yet');
    const hashAt = await this.tiles.hashAt(latest.size, inclusionProofNodes(index, latest.size));
    return {
      logIndex: index,
      treeSize: latest.size,
      inclusionProof: inclusionProof(index, latest.size, hashAt).map(encodeBase64),
      checkpoint: latest.note,
    };
  }

  /** RFC 9162 consistency proof between two sizes up to the latest checkpoint's. */
  async consistency(from: number, to: number): Promise<{ from: number; to: number; proof: string[] }> {
    const latest = await this.log.latestCheckpoint();
    const size = latest?.size ?? 0;
    if (!(from >= 0 && from <= to && to <= size)) throw badRequest(`0 ≤ from ≤ to ≤ ${size} (the latest checkpoint's size) must hold`);
    if (from === 0 || from === to) return { from, to, proof: [] };
    const hashAt = await this.tiles.hashAt(to, consistencyProofNodes(from, to));
    return { from, to, proof: consistencyProof(from, to, hashAt).map(encodeBase64) };
  }

  /** A long text of a record, published in it as `{sha256, length}`. */
  async text(recordId: string, sha256: string): Promise<string> {
    const text = isUuid(recordId) && /^[0-9a-f]{64}$/.test(sha256) ? await this.log.text(recordId, sha256) : null;
    if (text === null) throw notFound('no such text of this record');
    return text;
  }

  get origin(): string {
    return this.config.REGISTRY_LOG_ORIGIN;
  }
}
