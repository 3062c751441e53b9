import { describe, expect, it } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { generateKeyPairSync } from 'node:crypto';
import {
  checkAddCheckpoint,
  consistencyProof,
  ed25519Cosigner,
  ed25519NoteSigner,
  formatSignatureLine,
  hashAtFromLeafHashes,
  leafHash,
  merkleRoot,
  noteVerifierFromKey,
  openNote,
  signCheckpoint,
  type WitnessedTree,
} from '@app/tlog';
import { resolveWitnesses, witnessList } from './witness-endpoint.util.js';
import { WitnessSubmitter } from './witness-submitter.js';

const ORIGIN = 'log.example/test';
const log = ed25519NoteSigner(ORIGIN, generateKeyPairSync('ed25519').privateKey);
const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`e${i}`)));
const checkpointAt = (size: number) => signCheckpoint({ origin: ORIGIN, size, rootHash: merkleRoot(leaves.slice(0, size)) }, [log]);
const proofs = async (from: number, to: number) => consistencyProof(from, to, hashAtFromLeafHashes(leaves));

/** A witness in memory, answering like the real one (libs/tlog's decision), behind a fetch. */
const fakeWitness = (name: string, start: WitnessedTree | null = null) => {
  const cosigner = ed25519Cosigner(name, generateKeyPairSync('ed25519').privateKey);
  let latest = start;
  const requests: string[] = [];
  const fetchImpl = (async (_url: string, init: { body: string }) => {
    requests.push(init.body.split('\n')[0]!);
    const decision = checkAddCheckpoint(init.body, (o) => (o === ORIGIN ? [noteVerifierFromKey(log.verifierKey)] : []), () => latest);
    if (decision.status === 200) {
      latest = { size: decision.checkpoint.size, rootHash: decision.checkpoint.rootHash };
      return new Response(formatSignatureLine(cosigner.name, cosigner.keyId, cosigner.sign(Buffer.from(decision.text))), { status: 200 });
    }
    if (decision.status === 409) return new Response(`${decision.latestSize}\n`, { status: 409, headers: { 'content-type': 'text/x.tlog.size' } });
    return new Response(decision.reason, { status: decision.status });
  }) as unknown as typeof fetch;
  return { cosigner, fetch: fetchImpl, requests, endpoint: { url: `http://${name}`, verifierKey: cosigner.verifierKey } };
};

describe(WitnessSubmitter.name, () => {
  it('proves from the size the witness last cosigned, learning it from a 409, and merges the cosignature', async () => {
    const witness = fakeWitness('w1', { size: 10, rootHash: merkleRoot(leaves.slice(0, 10)) });
    const sut = new WitnessSubmitter([witness.endpoint], proofs, { fetch: witness.fetch });
    const { checkpoint, outcomes } = await sut.submit(checkpointAt(25));
    expect(outcomes.map((o) => o.status)).toEqual(['cosigned']);
    expect(witness.requests).toEqual(['old 0', 'old 10']);
    expect(openNote(checkpoint, [noteVerifierFromKey(log.verifierKey), noteVerifierFromKey(witness.cosigner.verifierKey)]).verified).toHaveLength(2);
    await sut.submit(checkpointAt(30));
    expect(witness.requests.at(-1)).toBe('old 25');
  });

  it('stops as superseded when the witness already cosigned a larger tree', async () => {
    const witness = fakeWitness('w1', { size: 30, rootHash: merkleRoot(leaves.slice(0, 30)) });
    const sut = new WitnessSubmitter([witness.endpoint], proofs, { fetch: witness.fetch });
    expect((await sut.submit(checkpointAt(20))).outcomes).toEqual([{ url: 'http://w1', status: 'superseded', witnessSize: 30 }]);
    expect(witness.requests).toEqual(['old 0']);
  });

  it('leaves out a witness that is down, refuses, or answers a cosignature that does not verify, and throws for none', async () => {
    const good = fakeWitness('good');
    const liar = fakeWitness('liar');
    const down = { url: 'http://down', verifierKey: fakeWitness('down').cosigner.verifierKey };
    const fetchImpl = (async (url: string, init: { body: string }) => {
      if (url.startsWith('http://down')) throw new TypeError('fetch failed');
      if (url.startsWith('http://liar')) return new Response(`— liar ${Buffer.alloc(76, 1).toString('base64')}\n`, { status: 200 });
      return good.fetch(url, init);
    }) as unknown as typeof fetch;
    const sut = new WitnessSubmitter([good.endpoint, liar.endpoint, down], proofs, { fetch: fetchImpl });
    const { checkpoint, outcomes } = await sut.submit(checkpointAt(5));
    expect(outcomes.map((o) => o.status)).toEqual(['cosigned', 'refused', 'unreachable']);
    expect(checkpoint.match(/^— /gm)).toHaveLength(2);
  });
});

describe(resolveWitnesses.name, () => {
  it('reads each key from GET /verifier-key unless pinned, and lists names with keys', async () => {
    const w = fakeWitness('witness.example/w');
    const fetchImpl = (async (url: string) =>
      url === 'http://w/verifier-key' ? new Response(`${w.cosigner.verifierKey}\n`) : new Response('', { status: 404 })) as unknown as typeof fetch;
    const resolved = await resolveWitnesses(['http://w/'], [], { fetch: fetchImpl });
    expect(resolved).toEqual([{ url: 'http://w', verifierKey: w.cosigner.verifierKey }]);
    expect(witnessList(resolved)).toEqual([{ name: 'witness.example/w', verifierKey: w.cosigner.verifierKey }]);
    expect(await resolveWitnesses(['http://pinned'], [w.cosigner.verifierKey], { fetch: fetchImpl })).toEqual([{ url: 'http://pinned', verifierKey: w.cosigner.verifierKey }]);
    await expect(resolveWitnesses(['http://x'], [], { fetch: fetchImpl })).rejects.toThrow(/404/);
    await expect(resolveWitnesses(['http://x'], [log.verifierKey])).rejects.toThrow(/cosignature\/v1/);
  });
});
