import { beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Buffer } from 'node:buffer';
import { generateKeyPairSync } from 'node:crypto';
import type { AppConfig } from '@app/config';
import type { LogCheckpointRow, LogCosignatureRepository, LogCosignatureRow } from '@app/persistence';
import {
  checkAddCheckpoint,
  ed25519Cosigner,
  ed25519NoteSigner,
  formatSignatureLine,
  hashAtFromLeafHashes,
  leafHash,
  merkleRoot,
  noteVerifierFromKey,
  signCheckpoint,
  type WitnessedTree,
} from '@app/tlog';
import type { CheckpointSignedListener, LogCheckpointSigner } from './log-checkpoint-signer.service.js';
import type { LogTileStore } from './log-tile-store.service.js';
import { LogWitnessingService, type WitnessRefusal } from './log-witnessing.service.js';

const ORIGIN = 'log.example/witnessed';
const log = ed25519NoteSigner(ORIGIN, generateKeyPairSync('ed25519').privateKey);
const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`e${i}`)));
const row = (size: number): LogCheckpointRow => {
  const root = merkleRoot(leaves.slice(0, size));
  return { size, root, note: signCheckpoint({ origin: ORIGIN, size, rootHash: root }, [log]), keyId: 'k', createdAt: '' };
};

const until = async (what: string, done: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** A witness behind a fetch, deciding like the real one (libs/tlog), that can be down or hold its answers. */
const fakeWitness = (start: WitnessedTree | null = null) => {
  const cosigner = ed25519Cosigner('witness.example/w', generateKeyPairSync('ed25519').privateKey);
  let latest = start;
  const state = { down: false, hold: false, attempts: 0, requests: [] as string[], held: [] as Array<() => void> };
  const transport = (async (_url: string, init: { body: string; signal: AbortSignal }) => {
    state.attempts++;
    if (state.down) throw new TypeError('fetch failed');
    if (state.hold) {
      await new Promise<void>((resolve, reject) => {
        state.held.push(resolve);
        init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    state.requests.push(init.body.split('\n')[0]!);
    const decision = checkAddCheckpoint(init.body, (o) => (o === ORIGIN ? [noteVerifierFromKey(log.verifierKey)] : []), () => latest);
    if (decision.status === 200) {
      latest = { size: decision.checkpoint.size, rootHash: decision.checkpoint.rootHash };
      return new Response(formatSignatureLine(cosigner.name, cosigner.keyId, cosigner.sign(Buffer.from(decision.text))), { status: 200 });
    }
    if (decision.status === 409) return new Response(`${decision.latestSize}\n`, { status: 409, headers: { 'content-type': 'text/x.tlog.size' } });
    return new Response(decision.reason, { status: decision.status });
  }) as unknown as typeof fetch;
  return { cosigner, state, transport };
};

const setup = (witness: ReturnType<typeof fakeWitness>) => {
  const listeners: CheckpointSignedListener[] = [];
  const stored: Array<LogCosignatureRow & { size: number }> = [];
  const refusals: WitnessRefusal[] = [];
  const config = { REGISTRY_WITNESSES: ['http://w'], REGISTRY_WITNESS_KEYS: [witness.cosigner.verifierKey] } as unknown as AppConfig;
  const signer = { onSigned: (listener: CheckpointSignedListener) => listeners.push(listener) } as unknown as LogCheckpointSigner;
  const tiles = { hashAt: async () => hashAtFromLeafHashes(leaves) } as unknown as LogTileStore;
  const cosignatures = { insert: async (size: number, cosignature: LogCosignatureRow) => void stored.push({ size, ...cosignature }) } as unknown as LogCosignatureRepository;
  const sut = new (class extends LogWitnessingService {
    constructor() {
      super(config, signer, tiles, cosignatures);
      this.transport = witness.transport;
    }
  })();
  sut.onRefused((refusal) => refusals.push(refusal));
  sut.start();
  /** What the signer does after a commit. */
  const signed = (size: number) => listeners.forEach((listener) => listener(row(size)));
  return { sut, signed, stored, refusals, listeners };
};

describe(LogWitnessingService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('returns to the signer at once while the witness holds its answer, then stores the cosignature and submits only the newest waiting checkpoint', async () => {
    const witness = fakeWitness();
    witness.state.hold = true;
    const { sut, signed, stored, listeners } = setup(witness);
    expect(listeners).toHaveLength(1);
    expect(listeners[0]!(row(5))).toBeUndefined();
    await until('the first submission', () => witness.state.held.length === 1);
    signed(8);
    signed(12);
    witness.state.hold = false;
    witness.state.held.shift()!();
    await until('two cosignatures', () => stored.length === 2);
    expect(stored.map((s) => s.size)).toEqual([5, 12]);
    expect(witness.state.requests).toEqual(['old 0', 'old 5']);
    expect(stored[1]).toEqual({ size: 12, verifierKey: witness.cosigner.verifierKey, line: expect.stringMatching(/^— witness\.example\/w \S+\n$/) });
    await sut.onApplicationShutdown();
  });

  it('retries an unreachable witness with backoff and, once it is back, submits the newest checkpoint', async () => {
    const witness = fakeWitness();
    witness.state.down = true;
    const { sut, signed, stored } = setup(witness);
    signed(3);
    await until('a retry', () => witness.state.attempts >= 2);
    signed(6);
    witness.state.down = false;
    await until('the cosignature', () => stored.length === 1, 10_000);
    expect(stored[0]!.size).toBe(6);
    expect(witness.state.requests).toEqual(['old 0']);
    await sut.onApplicationShutdown();
  });

  it('resubmits from the size a 409 reports, and tells its listeners when the witness refuses what the log signed', async () => {
    const other = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`other ${i}`)));
    const witness = fakeWitness({ size: 10, rootHash: merkleRoot(other.slice(0, 10)) });
    const { sut, signed, stored, refusals } = setup(witness);
    signed(12);
    await until('the refusal', () => refusals.length === 1);
    expect(witness.state.requests).toEqual(['old 0', 'old 10']);
    expect(refusals[0]).toMatchObject({ url: 'http://w', status: 'refused', httpStatus: 422, size: 12 });
    expect(stored).toEqual([]);
    await sut.onApplicationShutdown();
  });

  it('aborts a held submission on shutdown and submits nothing after', async () => {
    const witness = fakeWitness();
    witness.state.hold = true;
    const { sut, signed } = setup(witness);
    signed(4);
    await until('the submission', () => witness.state.held.length === 1);
    await sut.onApplicationShutdown();
    signed(9);
    expect(witness.state.attempts).toBe(1);
  });
});
