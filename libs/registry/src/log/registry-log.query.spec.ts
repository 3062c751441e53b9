import { describe, expect, it } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { generateKeyPairSync } from 'node:crypto';
import type { AppConfig } from '@app/config';
import type { LogCheckpointRow, LogCosignatureRepository, LogCosignatureRow, TransparencyLogRepository } from '@app/persistence';
import { ed25519Cosigner, ed25519NoteSigner, formatSignatureLine, noteVerifierFromKey, openNote, parseNote, signCheckpoint } from '@app/tlog';
import { ProblemError } from '@app/problems';
import type { LogTileStore } from './log-tile-store.service.js';
import { RegistryLogQuery } from './registry-log.query.js';
import type { RegistrySigningKeyService } from './registry-signing-key.service.js';

const RECORD = '6f1c1b6e-7a0e-4c3b-9b0a-2b1f7c2f9e11';

const setup = (latest: Partial<LogCheckpointRow> | null, logIndex: number | null, cosigned: LogCosignatureRow[] = []) => {
  const log = {
    latestCheckpoint: async () => (latest ? ({ size: 0, root: Buffer.alloc(32), note: 'n', keyId: 'k', createdAt: '', ...latest } as LogCheckpointRow) : null),
    logIndexOfRecord: async () => logIndex,
    recordExists: async () => true,
  } as unknown as TransparencyLogRepository;
  const cosignatures = {
    ofCheckpoint: async (size: number) => (size === latest?.size ? cosigned : []),
    latestWitnessKeys: async () => cosigned.map((c) => c.verifierKey),
  } as unknown as LogCosignatureRepository;
  return new RegistryLogQuery({ REGISTRY_LOG_ORIGIN: 'o' } as AppConfig, log, {} as LogTileStore, {} as RegistrySigningKeyService, cosignatures);
};

const problemOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProblemError);
  return error as ProblemError;
};

describe(RegistryLogQuery.name, () => {
  it('answers not-yet-logged (409) until a checkpoint covers the record, and 404 for an unknown or malformed id', async () => {
    expect(await problemOf(setup({ size: 5 }, 5).proof(RECORD))).toMatchObject({ status: 409, slug: 'not-yet-logged' });
    expect(await problemOf(setup(null, 0).proof(RECORD))).toMatchObject({ status: 409, slug: 'not-yet-logged' });
    expect(await problemOf(setup({ size: 5 }, null).proof(RECORD))).toMatchObject({ status: 409 });
    expect(await problemOf(setup({ size: 5 }, 1).proof('not-a-uuid'))).toMatchObject({ status: 404 });
  });

  it('refuses consistency outside 0 ≤ from ≤ to ≤ the latest size, and answers [] when from is 0 or equals to', async () => {
    const sut = setup({ size: 10 }, null);
    for (const [from, to] of [[-1, 2], [3, 2], [0, 11], [Number.NaN, 2]] as const) expect(await problemOf(sut.consistency(from, to))).toMatchObject({ status: 400 });
    await expect(sut.consistency(0, 10)).resolves.toEqual({ from: 0, to: 10, proof: [] });
    await expect(sut.consistency(7, 7)).resolves.toEqual({ from: 7, to: 7, proof: [] });
  });

  it('answers 404 for a tile path that is not canonical or beyond the latest checkpoint', async () => {
    const sut = setup(null, null);
    expect(await problemOf(sut.tile('tile/0/1'))).toMatchObject({ status: 404 });
    expect(await problemOf(sut.tile('tile/0/x000/001'))).toMatchObject({ status: 404 });
  });

  it('serves the latest checkpoint with every cosignature received for it, and lists those witnesses', async () => {
    const log = ed25519NoteSigner('log.example/l', generateKeyPairSync('ed25519').privateKey);
    const witnesses = ['w.example/a', 'w.example/b'].map((name) => ed25519Cosigner(name, generateKeyPairSync('ed25519').privateKey));
    const note = signCheckpoint({ origin: 'log.example/l', size: 3, rootHash: Buffer.alloc(32, 7) }, [log]);
    const text = parseNote(note).text;
    const cosigned = witnesses.map((w) => ({ verifierKey: w.verifierKey, line: formatSignatureLine(w.name, w.keyId, w.sign(Buffer.from(text))) }));

    expect(await setup({ size: 3, note }, null).checkpoint()).toBe(note);
    const sut = setup({ size: 3, note }, null, cosigned);
    const served = await sut.checkpoint();
    expect(served).toBe(`${note}${cosigned.map((c) => c.line).join('')}`);
    const verifiers = [log.verifierKey, ...witnesses.map((w) => w.verifierKey)].map(noteVerifierFromKey);
    expect(openNote(served, verifiers).verified.map((s) => s.name)).toEqual(['log.example/l', 'w.example/a', 'w.example/b']);
    expect(await sut.witnesses()).toEqual(witnesses.map((w) => ({ name: w.name, verifierKey: w.verifierKey })));
  });
});
