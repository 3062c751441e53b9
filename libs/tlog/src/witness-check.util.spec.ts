import { describe, it, expect } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { generateKeyPairSync } from 'node:crypto';
import { signCheckpoint } from './checkpoint.util.js';
import { consistencyProof } from './consistency-proof.util.js';
import { cosignatureTimestamp, ed25519Cosigner } from './cosignature.util.js';
import { addCosignatures } from './cosigned-checkpoint.util.js';
import { ed25519NoteSigner, noteVerifierFromKey } from './ed25519-note.util.js';
import { leafHash, merkleRoot } from './merkle-hash.util.js';
import { openNote, signNote } from './signed-note.util.js';
import { hashAtFromLeafHashes } from './subtree-hash.util.js';
import { checkAddCheckpoint, type WitnessedTree } from './witness-check.util.js';
import { encodeAddCheckpointRequest } from './witness-request.util.js';

const ORIGIN = 'clearance.example/registry';
const log = ed25519NoteSigner(ORIGIN, generateKeyPairSync('ed25519').privateKey);
const impostor = ed25519NoteSigner(ORIGIN, generateKeyPairSync('ed25519').privateKey);
const leaves = Array.from({ length: 10 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const rootAt = (size: number): Buffer => merkleRoot(leaves.slice(0, size));
const checkpointAt = (size: number, signer = log, rootHash = rootAt(size)): string => signCheckpoint({ origin: ORIGIN, size, rootHash }, [signer]);
const proof = (from: number, to: number): Buffer[] => consistencyProof(from, to, hashAtFromLeafHashes(leaves));

function check(body: string, latest: WitnessedTree | null) {
  return checkAddCheckpoint(body, (origin) => (origin === ORIGIN ? [noteVerifierFromKey(log.verifierKey)] : []), () => latest);
}

describe('checkAddCheckpoint', () => {
  it('takes a first checkpoint from old size 0, then a consistent extension', () => {
    const first = check(encodeAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: checkpointAt(5) }), null);
    expect(first).toMatchObject({ status: 200, checkpoint: { origin: ORIGIN, size: 5 } });
    const next = check(encodeAddCheckpointRequest({ oldSize: 5, proof: proof(5, 10), checkpoint: checkpointAt(10) }), { size: 5, rootHash: rootAt(5) });
    expect(next).toMatchObject({ status: 200, checkpoint: { size: 10 } });
    expect(next.status === 200 && next.checkpoint.rootHash.equals(rootAt(10))).toBe(true);
    // The same checkpoint again is consistent with itself.
    expect(check(encodeAddCheckpointRequest({ oldSize: 10, proof: [], checkpoint: checkpointAt(10) }), { size: 10, rootHash: rootAt(10) }).status).toBe(200);
  });

  it('answers 409 with the latest size when the old size is not the last cosigned one', () => {
    const body = encodeAddCheckpointRequest({ oldSize: 4, proof: proof(4, 10), checkpoint: checkpointAt(10) });
    expect(check(body, { size: 5, rootHash: rootAt(5) })).toMatchObject({ status: 409, latestSize: 5 });
    expect(check(encodeAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: checkpointAt(10) }), { size: 5, rootHash: rootAt(5) })).toMatchObject({
      status: 409,
      latestSize: 5,
    });
  });

  it('answers 409 to a fork at the same size and 422 to a proof that does not verify', () => {
    const forked = checkpointAt(5, log, Buffer.alloc(32, 7));
    expect(check(encodeAddCheckpointRequest({ oldSize: 5, proof: [], checkpoint: forked }), { size: 5, rootHash: rootAt(5) }).status).toBe(409);
    const bad = proof(5, 10).map((p, i) => (i === 0 ? Buffer.alloc(32) : p));
    expect(check(encodeAddCheckpointRequest({ oldSize: 5, proof: bad, checkpoint: checkpointAt(10) }), { size: 5, rootHash: rootAt(5) }).status).toBe(422);
    // A tree that rewrote an old leaf cannot prove consistency with what the witness saw.
    expect(check(encodeAddCheckpointRequest({ oldSize: 5, proof: proof(5, 10), checkpoint: checkpointAt(10) }), { size: 5, rootHash: rootAt(4) }).status).toBe(422);
    expect(check(`old 0\n${Buffer.alloc(32).toString('base64')}\n\n${checkpointAt(5)}`, null).status).toBe(422);
  });

  it('answers 400, 403 and 404 as the spec says', () => {
    expect(check('old 5\n', null).status).toBe(400);
    expect(check(`old 0\n\nnot a note\n`, null).status).toBe(400);
    expect(check(encodeAddCheckpointRequest({ oldSize: 11, proof: [], checkpoint: checkpointAt(10) }), null).status).toBe(400);
    expect(check(encodeAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: checkpointAt(5, impostor) }), null).status).toBe(403);
    const other = signCheckpoint({ origin: 'other.example/log', size: 1, rootHash: rootAt(1) }, [ed25519NoteSigner('other.example/log', generateKeyPairSync('ed25519').privateKey)]);
    expect(check(encodeAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: other }), null).status).toBe(404);
  });
});

describe('addCosignatures', () => {
  it('adds a verified cosignature to the checkpoint and replaces an older one', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    let now = 1700000000;
    const witness = ed25519Cosigner('witness.example/w1', privateKey, () => now);
    const note = checkpointAt(5);
    const text = note.slice(0, note.indexOf('\n\n') + 1);
    const response = (): string => signNote(text, [witness]).slice(text.length + 1);
    const verifiers = [noteVerifierFromKey(log.verifierKey), noteVerifierFromKey(witness.verifierKey)];

    const cosigned = addCosignatures(note, response(), [verifiers[1]]);
    expect(openNote(cosigned, verifiers).verified.map((s) => s.name)).toEqual([ORIGIN, 'witness.example/w1']);
    now += 60;
    const again = addCosignatures(cosigned, response(), [verifiers[1]]);
    const opened = openNote(again, verifiers);
    expect(opened.verified).toHaveLength(2);
    expect(cosignatureTimestamp(opened.verified[1])).toBe(1700000060);
  });

  it('refuses a response with no cosignature from a trusted witness', () => {
    const note = checkpointAt(5);
    const stranger = ed25519Cosigner('witness.example/w2', generateKeyPairSync('ed25519').privateKey);
    const text = note.slice(0, note.indexOf('\n\n') + 1);
    const trusted = noteVerifierFromKey(ed25519Cosigner('witness.example/w1', generateKeyPairSync('ed25519').privateKey).verifierKey);
    expect(() => addCosignatures(note, signNote(text, [stranger]).slice(text.length + 1), [trusted])).toThrow('note has no verifiable signatures');
    expect(() => addCosignatures(note, '', [trusted])).toThrow('malformed witness response');
  });
});
