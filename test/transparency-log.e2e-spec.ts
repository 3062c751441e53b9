import { createHash, createPublicKey, verify } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { canonicalJson } from '@app/integrity';
import { LogSequencer, logEntryBytes } from '@app/registry';
import { currentTestEnvironment, expectProblem, waitFor } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

// ---------------------------------------------------------------------------------------------
// A small RFC 6962 / 9162 implementation, independent of libs/tlog, checked against the
// Certificate Transparency vectors below before it checks the server.
// ---------------------------------------------------------------------------------------------

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const leafHashOf = (entry: Uint8Array): Buffer => sha256(Buffer.from([0]), entry);
const nodeHashOf = (left: Uint8Array, right: Uint8Array): Buffer => sha256(Buffer.from([1]), left, right);

/** MTH over leaf hashes (RFC 6962 §2.1). */
const mth = (leaves: readonly Buffer[]): Buffer => {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHashOf(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};

const half = (n: number): number => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when the proof is malformed. */
const rootFromInclusion = (index: number, size: number, leaf: Buffer, proof: readonly Buffer[]): Buffer | null => {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHashOf(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHashOf(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
};

/** RFC 9162 §2.1.4.2. */
const consistent = (size1: number, size2: number, root1: Buffer, root2: Buffer, proof: readonly Buffer[]): boolean => {
  if (size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHashOf(c, fr);
      sr = nodeHashOf(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHashOf(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
};

// Certificate Transparency vectors, copied from libs/tlog/src/testing/ct-vectors.fixture.ts
// (itself copied from transparency-dev/merkle proof/verify_test.go and rfc6962/rfc6962_test.go).
const hex = (h: string): Buffer => Buffer.from(h, 'hex');
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(hex);
const CT_INCLUSION = [
  { leaf: 1, size: 1, proof: [] as string[] },
  {
    leaf: 1,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    leaf: 6,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { leaf: 3, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    leaf: 2,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CT_CONSISTENCY = [
  { size1: 1, size2: 1, proof: [] as string[] },
  {
    size1: 1,
    size2: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// C2SP tlog-tiles and signed-note, also written here from the specifications.
// ---------------------------------------------------------------------------------------------

const encodeIndex = (index: number): string => {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
};
const suffix = (width: number): string => (width === 256 ? '' : `.p/${width}`);

/** Every tile of a tree of `size` leaves: `{level, index, width}`. */
const tilesOf = (size: number) => {
  const tiles: Array<{ level: number; index: number; width: number }> = [];
  for (let level = 0; Math.floor(size / 256 ** level) > 0; level++) {
    const count = Math.floor(size / 256 ** level);
    for (let index = 0; index * 256 < count; index++) tiles.push({ level, index, width: Math.min(256, count - index * 256) });
  }
  return tiles;
};

const decodeBundle = (bytes: Uint8Array): Buffer[] => {
  const view = Buffer.from(bytes);
  const entries: Buffer[] = [];
  for (let at = 0; at < view.length; ) {
    const length = view.readUInt16BE(at);
    entries.push(view.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return entries;
};

/** Opens a checkpoint signed note with the verifier key; returns size and root, or throws. */
const openCheckpoint = (note: string, verifierKey: string, origin: string): { size: number; root: Buffer } => {
  // The base64 key may itself hold '+': only the first two separate the name and the id.
  const parts = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(verifierKey);
  if (!parts) throw new Error(`not a verifier key: ${verifierKey}`);
  const [name, keyIdHex, keyB64] = [parts[1]!, parts[2]!, parts[3]!];
  const keyBytes = Buffer.from(keyB64, 'base64');
  expect(keyBytes[0]).toBe(0x01);
  const publicKey = keyBytes.subarray(1);
  expect(sha256(Buffer.from(`${name}\n`), Buffer.from([0x01]), publicKey).subarray(0, 4).toString('hex')).toBe(keyIdHex);
  const split = note.indexOf('\n\n');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2).split('\n').filter(Boolean);
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' });
  const ours = lines.map((line) => /^— (\S+) (\S+)$/.exec(line)).find((m) => m?.[1] === name);
  if (!ours) throw new Error('no signature by the log');
  const signature = Buffer.from(ours[2]!, 'base64');
  expect(signature.subarray(0, 4).toString('hex')).toBe(keyIdHex);
  if (!verify(null, Buffer.from(text), key, signature.subarray(4))) throw new Error('bad checkpoint signature');
  const [noteOrigin, sizeText, rootText] = text.split('\n');
  expect(noteOrigin).toBe(origin);
  return { size: Number(sizeText), root: Buffer.from(rootText!, 'base64') };
};

describe('transparency log: tiles, checkpoints and proofs, verified independently', () => {
  // Its own database, so the log starts empty whatever other suites of the run publish.
  const env = currentTestEnvironment();
  const ownDatabase = new URL(env.databaseUrl);
  ownDatabase.pathname = `${ownDatabase.pathname}_tlog`;
  // No heads entry either: the worker's heads loop looks once at start (no case yet) and next in a
  // day, so the log holds only what the tests append or publish (heads entries: case-heads suite).
  const suite = useSuite({ env: { DATABASE_URL: ownDatabase.toString(), REGISTRY_HEADS_MS: String(24 * 3600 * 1000) } });
  const http = () => suite.stack.http;

  // useSuite's afterAll has closed the stack by now.
  afterAll(async () => {
    const admin = new URL(env.databaseUrl);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${ownDatabase.pathname.slice(1)}" WITH (FORCE)`);
    await client.end();
  });

  /** What the test appended or saw logged, by index. */
  const entries: Buffer[] = [];
  const checkpoints: Array<{ size: number; root: Buffer }> = [];

  const verifierKey = async () => expectOk(await http().get('/v1/public/log/key'), 'the verifier key');

  /** Synthetic entries through the production sequencer, in the worker's process (a test-only entry point). */
  const appendSynthetic = async (count: number) => {
    const worker = suite.stack.worker!;
    const batch = Array.from({ length: count }, (_, i) => {
      const n = entries.length + i;
      return logEntryBytes({ kind: 'test', n, pad: 'p'.repeat(n % 97) });
    });
    await worker.get(DataSource).transaction((db) => worker.get(LogSequencer, { strict: false }).append(db, batch.map((bytes) => ({ kind: 'test', bytes }))));
    entries.push(...batch);
  };

  const checkpointAt = async (size: number) => {
    const key = await verifierKey();
    const note = await waitFor(
      async () => {
        const response = await http().get('/v1/public/log/checkpoint');
        return response.status === 200 ? response.body : '';
      },
      (text) => text !== '' && openCheckpoint(text, key, 'clearance.example/registry').size === size,
      { timeoutMs: 15_000, what: `a checkpoint of size ${size}` },
    );
    return { note, ...openCheckpoint(note, key, 'clearance.example/registry') };
  };

  /** Reads the whole tree back through the tile routes and checks it against `entries`. */
  const checkTree = async (size: number, root: Buffer) => {
    const leaves = entries.slice(0, size).map(leafHashOf);
    const fromBundles: Buffer[] = [];
    for (let index = 0; index * 256 < size; index++) {
      const width = Math.min(256, size - index * 256);
      const response = await http().bytes(`/v1/public/log/tile/entries/${encodeIndex(index)}${suffix(width)}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('content-type')).toMatch(/^application\/octet-stream/);
      const bundle = decodeBundle(response.bytes);
      expect(bundle).toHaveLength(width);
      fromBundles.push(...bundle);
    }
    expect(fromBundles.map((e) => e.toString('hex'))).toEqual(entries.slice(0, size).map((e) => e.toString('hex')));
    expect(mth(fromBundles.map(leafHashOf)).equals(root)).toBe(true);

    const levelZero: Buffer[] = [];
    for (const tile of tilesOf(size)) {
      const response = await http().bytes(`/v1/public/log/tile/${tile.level}/${encodeIndex(tile.index)}${suffix(tile.width)}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const span = 256 ** tile.level;
      const expected = Buffer.concat(
        Array.from({ length: tile.width }, (_, i) => mth(leaves.slice((tile.index * 256 + i) * span, (tile.index * 256 + i + 1) * span))),
      );
      expect(Buffer.from(response.bytes).equals(expected)).toBe(true);
      if (tile.level === 0) levelZero.push(...Array.from({ length: tile.width }, (_, i) => Buffer.from(response.bytes.subarray(i * 32, (i + 1) * 32))));
    }
    expect(mth(levelZero).equals(root)).toBe(true);

    // Beyond the checkpoint's tree: 404.
    const next = Math.floor(size / 256);
    const beyond = size % 256 === 0 ? `${encodeIndex(next)}.p/1` : `${encodeIndex(next)}${suffix(Math.min(256, (size % 256) + 1))}`;
    expect((await http().bytes(`/v1/public/log/tile/0/${beyond}`)).status).toBe(404);
    expect((await http().bytes(`/v1/public/log/tile/entries/${beyond}`)).status).toBe(404);
  };

  const checkConsistency = async (from: { size: number; root: Buffer }, to: { size: number; root: Buffer }) => {
    const body = expectOk(await http().get(`/v1/public/log/consistency?from=${from.size}&to=${to.size}`));
    expect(body).toMatchObject({ from: from.size, to: to.size });
    const proof = body.proof.map((p) => Buffer.from(p, 'base64'));
    expect(consistent(from.size, to.size, from.root, to.root, proof)).toBe(true);
    if (proof.length > 0) expect(consistent(from.size, to.size, from.root, to.root, [...proof.slice(1), proof[0]!]) && proof.length > 1).toBe(false);
  };

  const growTo = async (size: number) => {
    await appendSynthetic(size - entries.length);
    const checkpoint = await checkpointAt(size);
    expect(checkpoint.root.equals(mth(entries.slice(0, size).map(leafHashOf)))).toBe(true);
    await checkTree(size, checkpoint.root);
    const previous = checkpoints.at(-1);
    if (previous) await checkConsistency(previous, checkpoint);
    checkpoints.push(checkpoint);
    return checkpoint;
  };

  it('checks its own RFC 6962 code against the Certificate Transparency vectors', () => {
    const leaves = CT_LEAVES.map(leafHashOf);
    CT_ROOTS.forEach((root, i) => expect(mth(leaves.slice(0, i + 1)).equals(root)).toBe(true));
    for (const v of CT_INCLUSION) {
      expect(rootFromInclusion(v.leaf - 1, v.size, leaves[v.leaf - 1]!, v.proof.map(hex))?.equals(CT_ROOTS[v.size - 1]!)).toBe(true);
    }
    expect(rootFromInclusion(1, 8, leaves[0]!, CT_INCLUSION[1]!.proof.map(hex))?.equals(CT_ROOTS[7]!) ?? false).toBe(false);
    for (const v of CT_CONSISTENCY) {
      expect(consistent(v.size1, v.size2, CT_ROOTS[v.size1 - 1]!, CT_ROOTS[v.size2 - 1]!, v.proof.map(hex))).toBe(true);
      if (v.proof.length > 0) expect(consistent(v.size1, v.size2, CT_ROOTS[v.size1 - 1]!, CT_ROOTS[v.size2 - 2]!, v.proof.map(hex))).toBe(false);
    }
  });

  it('serves logs of 1, 2, 255, 256 and 257 entries whose tiles, bundles, checkpoints and consistency proofs verify independently', async () => {
    const empty = await checkpointAt(0);
    expect(empty.root.equals(sha256())).toBe(true);
    checkpoints.push(empty);
    for (const size of [1, 2, 255, 256, 257]) await growTo(size);

    const latest = checkpoints.at(-1)!;
    // A full tile served again comes from the api's memory, ahead of Nest's routing: the same
    // bytes, with the immutable caching and the security headers of every answer.
    for (const path of ['/v1/public/log/tile/0/000', '/v1/public/log/tile/entries/000']) {
      const [first, again] = [await http().bytes(path), await http().bytes(path)];
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
      for (const header of ['content-type', 'cache-control', 'content-security-policy', 'x-content-type-options'])
        expect([header, again.headers.get(header)]).toEqual([header, first.headers.get(header)]);
      expect(again.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(again.headers.get('content-type')).toBe('application/octet-stream');
      expect(again.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(again.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(expectOk(await http().get(`/v1/public/log/consistency?from=0&to=${latest.size}`)).proof).toEqual([]);
    expect(expectOk(await http().get(`/v1/public/log/consistency?from=${latest.size}&to=${latest.size}`)).proof).toEqual([]);
    // Any two checkpoints, not only successive ones.
    await checkConsistency(checkpoints[1]!, latest);
    for (const query of [`from=2&to=1`, `from=0&to=${latest.size + 1}`, `from=-1&to=2`, `from=x&to=2`]) {
      expect((await http().get(`/v1/public/log/consistency?${query}`)).status).toBe(400);
    }
    const checkpoint = await http().get('/v1/public/log/checkpoint');
    expect(checkpoint.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(checkpoint.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect((await http().bytes('/v1/public/log/tile/0/1')).status).toBe(404);
    expect((await http().bytes('/v1/public/log/tile/entries/000.p/256')).status).toBe(404);
  });

  it('logs a record published by the lifecycle as a `record` entry equal to the served record without logIndex, with a verifiable signature and inclusion proof', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    // A basis over 2,000 characters is published by hash and served in full beside the record.
    const basis = `The evaluation was thorough. ${'Evidence was reviewed line by line. '.repeat(70)}`.trim();
    expect(basis.length).toBeGreaterThan(2000);
    expect((await suite.driver.approve(suite.world.auditorA, caseId, { opinion: 'qualified', basis })).state).toBe('cleared');
    const [item] = await waitFor(
      async () => expectOk(await http().get(`/v1/public/registry?caseId=${caseId}`)).items,
      (items) => items.length === 1,
      { timeoutMs: 15_000, what: 'the cleared record' },
    );
    const record = expectOk(await http().get(`/v1/public/registry/${item!.id}`));
    expect(record).toEqual(item);
    const { logIndex, ...logged } = record;
    expect(logIndex).toBe(entries.length);
    if (logIndex === undefined) throw new Error('the record has no logIndex');
    expect(logged).toMatchObject({ kind: 'record', caseId, state: 'cleared', redactions: [], chainHead: { seq: expect.any(Number) } });

    // Its signature: Ed25519 over the JCS of the record without `signature`, with the key at /v1/public/keys.
    const { signature, ...signed } = logged;
    const jwk = expectOk(await http().get('/v1/public/keys')).keys.find((k) => k.kid === signed.keyId)!;
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
    expect(verify(null, Buffer.from(canonicalJson(signed)), key, Buffer.from(signature, 'base64'))).toBe(true);
    expect(verify(null, Buffer.from(canonicalJson({ ...signed, state: 'revoked' })), key, Buffer.from(signature, 'base64'))).toBe(false);

    const published = logged.opinions[0]?.basis;
    expect(published).toEqual({ sha256: sha256(Buffer.from(basis)).toString('hex'), length: basis.length });
    if (typeof published !== 'object' || published === null) throw new Error('the basis is not published by hash');
    const served = await http().get(`/v1/public/registry/${record.id}/texts/${published.sha256}`);
    expect(served.status).toBe(200);
    expect(served.body).toBe(basis);
    expect((await http().get(`/v1/public/registry/${record.id}/texts/${'0'.repeat(64)}`)).status).toBe(404);

    entries.push(Buffer.from(canonicalJson(logged)));
    const checkpoint = await checkpointAt(entries.length);
    await checkTree(entries.length, checkpoint.root);
    await checkConsistency(checkpoints.at(-1)!, checkpoint);
    checkpoints.push(checkpoint);

    const proof = await waitFor(
      () => http().get(`/v1/public/registry/${record.id}/proof`),
      (r) => r.status === 200 && r.body.treeSize === checkpoint.size,
      { timeoutMs: 15_000, what: 'an inclusion proof' },
    );
    const inclusion = expectOk(proof, 'the inclusion proof');
    expect(inclusion).toMatchObject({ logIndex, treeSize: checkpoint.size, checkpoint: checkpoint.note });
    const path = inclusion.inclusionProof.map((p) => Buffer.from(p, 'base64'));
    expect(rootFromInclusion(logIndex, checkpoint.size, leafHashOf(entries.at(-1)!), path)?.equals(checkpoint.root)).toBe(true);
    expect(rootFromInclusion(logIndex, checkpoint.size, leafHashOf(entries[0]!), path)?.equals(checkpoint.root) ?? false).toBe(false);

    // The list carries the latest checkpoint's note text.
    expect(expectOk(await http().get('/v1/public/registry?limit=1')).checkpoint).toBe(checkpoint.note);
    expectProblem(await http().get('/v1/public/registry/00000000-0000-4000-8000-000000000000/proof'), 404);
  });

  it('serves a log of 70,000 entries appended through the sequencer, read back only over HTTP', async () => {
    await growTo(70_000);
    await checkConsistency(checkpoints[3]!, checkpoints.at(-1)!);
  }, 180_000);
});
