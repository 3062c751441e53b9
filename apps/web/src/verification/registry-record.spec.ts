import { describe, expect, it } from '@jest/globals';
import { checkCheckpoint, checkInclusion, checkRecordSignature, type SignedRecord } from './registry-record';
import fixture from './testing/registry-log.fixture.json' with { type: 'json' };

// Records signed, logged and checkpointed by the server's own code (scripts/web-verification-fixture.mjs),
// from the source row of libs/registry's unit spec: this module checks them with code of its own.
const keys = fixture.keys.keys;
const cases = [
  ['a record', fixture.record],
  ['a record published before the log', fixture.legacy],
] as const;

/** A copy of `value` with `change` applied: tamper cases never touch the fixture. */
const tampered = <T>(value: T, change: (copy: T) => void): T => {
  const copy = structuredClone(value);
  change(copy);
  return copy;
};
type Mutable = Record<string, unknown> & { model: { version: string }; opinions: Array<{ basis: string }>; signature: string };

describe.each(cases)('%s from the server', (_, { record, proof }) => {
  const signed = record as unknown as SignedRecord;

  it('passes all three checks (the log key\'s base64 holds a \'+\')', async () => {
    expect(fixture.logKey.split('+').length).toBeGreaterThan(3);
    expect(await checkRecordSignature(signed, keys)).toMatchObject({ ok: true });
    expect(await checkInclusion(signed, proof)).toMatchObject({ ok: true });
    expect(await checkCheckpoint(proof.checkpoint, fixture.logKey)).toMatchObject({ ok: true });
  });

  it('fails the signature and the inclusion when one character of the record changes', async () => {
    for (const change of [
      (r: Mutable) => void (r.model.version = '1.1'),
      (r: Mutable) => void (r.opinions[0].basis = r.opinions[0].basis.replace('ok', 'OK')),
      (r: Mutable) => void (r.extra = true),
    ]) {
      const bad = tampered(record as unknown as Mutable, change) as unknown as SignedRecord;
      expect(await checkRecordSignature(bad, keys)).toMatchObject({ ok: false });
      expect(await checkInclusion(bad, proof)).toMatchObject({ ok: false });
    }
  });

  it('fails the signature under another key or with a changed signature', async () => {
    const otherKey = tampered(keys[0], (k) => void (k.x = `${k.x.slice(0, -2)}${k.x.endsWith('A') ? 'B' : 'A'}w`));
    expect(await checkRecordSignature(signed, [otherKey])).toMatchObject({ ok: false });
    expect(await checkRecordSignature(signed, [])).toMatchObject({ ok: false, detail: expect.stringContaining('no published key') });
    const flipped = tampered(record as unknown as Mutable, (r) => void (r.signature = `${r.signature[0] === 'A' ? 'B' : 'A'}${r.signature.slice(1)}`));
    expect(await checkRecordSignature(flipped as unknown as SignedRecord, keys)).toMatchObject({ ok: false });
  });

  it('fails the inclusion for another index, a changed proof hash or another checkpoint root', async () => {
    expect(await checkInclusion(signed, { ...proof, logIndex: proof.logIndex + 1 })).toMatchObject({ ok: false });
    const hash = proof.inclusionProof[0];
    const changedHash = { ...proof, inclusionProof: [`${hash[0] === 'A' ? 'B' : 'A'}${hash.slice(1)}`, ...proof.inclusionProof.slice(1)] };
    expect(await checkInclusion(signed, changedHash)).toMatchObject({ ok: false });
    const [origin, size, root] = proof.checkpoint.split('\n');
    const otherRoot = proof.checkpoint.replace(`${origin}\n${size}\n${root}`, `${origin}\n${size}\n${root[0] === 'A' ? 'B' : 'A'}${root.slice(1)}`);
    expect(await checkInclusion(signed, { ...proof, checkpoint: otherRoot })).toMatchObject({ ok: false });
  });
});

describe(checkCheckpoint.name, () => {
  const note = fixture.record.proof.checkpoint;

  it('fails a checkpoint whose size, root or signature changed, or that another key signed', async () => {
    expect(await checkCheckpoint(note.replace('\n5\n', '\n6\n'), fixture.logKey)).toMatchObject({ ok: false, detail: expect.stringContaining('invalid signature') });
    const sigAt = note.lastIndexOf(' ') + 10;
    const badSig = `${note.slice(0, sigAt)}${note[sigAt] === 'A' ? 'B' : 'A'}${note.slice(sigAt + 1)}`;
    expect(await checkCheckpoint(badSig, fixture.logKey)).toMatchObject({ ok: false });
    expect(await checkCheckpoint(note, 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toMatchObject({ ok: false, detail: expect.stringContaining('no signature') });
    expect(await checkCheckpoint(note, 'not a key')).toMatchObject({ ok: false, detail: 'malformed verifier key' });
  });
});
