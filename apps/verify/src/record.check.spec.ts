import { Buffer } from 'node:buffer';
import { sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { canonicalJson } from '@app/integrity';
import { VerifyWorld, verify } from './testing/verify-world.fixture.js';

describe('clearance-verify record', () => {
  let world: VerifyWorld;
  beforeEach(() => {
    world = new VerifyWorld();
  });
  afterEach(() => world.close());

  const run = (record: unknown, ...extra: string[]) => verify('record', world.file(record, 'record.json'), '--keys', world.file(world.keys, 'keys.json'), ...extra);

  it('verifies the signature of a record with the key its keyId names', async () => {
    const record = world.record();
    const result = await run(record);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      expect.stringMatching(new RegExp(`^✓ record ${String(record.id)}: key ${world.registry.kid} found in `)),
      expect.stringMatching(/^✓ record .*signature: Ed25519 by key .* over the RFC 8785 JSON of the record without signature and logIndex$/),
      'OK: record: all 2 checks passed',
    ]);
  });

  it('catches a changed record: exit 1 naming the signature check', async () => {
    const record = world.record();
    for (const changed of [
      { ...record, state: 'revoked' },
      { ...record, opinions: [] },
      { ...record, model: { ...(record.model as object), checkpointSha256: 'f'.repeat(64) } },
      { ...record, keyIdNote: 'an added member' },
    ]) {
      const result = await run(changed);
      expect(result.code).toBe(1);
      expect(result.out.at(-1)).toMatch(/^✗ record .* signature: Ed25519 .*: does not verify \(the record was changed/);
      expect(result.err).toEqual([expect.stringMatching(/^clearance-verify: FAILED: record .* signature: .*does not verify/)]);
    }
  });

  it('refuses a record whose key is not served, or whose signature is malformed', async () => {
    const record = world.record();
    const unknown = await run({ ...record, keyId: '0123456789abcdef' });
    expect(unknown.code).toBe(1);
    expect(unknown.err[0]).toMatch(/keyId 0123456789abcdef is not among the keys/);
    const malformed = await run({ ...record, signature: 'not base64!' });
    expect(malformed.code).toBe(1);
    expect(malformed.err[0]).toMatch(/signature: not 64 bytes of standard base64/);
    const unsigned = await run({ ...record, signature: undefined });
    expect(unsigned.code).toBe(1);
    expect(unsigned.err[0]).toMatch(/not a signed registry record/);
  });

  it('verifies a record from before the log under its original rule (signed without keyId), and no record under the wrong rule', async () => {
    const { kind: _kind, keyId: _keyId, logIndex: _logIndex, signature: _signature, ...legacy } = world.record();
    const signature = sign(null, Buffer.from(canonicalJson(legacy), 'utf8'), world.registry.privateKey).toString('base64');
    const ok = await run({ ...legacy, keyId: world.registry.kid, signature });
    expect(ok.code).toBe(0);
    expect(ok.text).toMatch(/without signature, keyId and logIndex \(a record from before the log\)/);
    // A logged record stripped of its kind would be checked under the legacy rule, which it does not meet.
    const { kind: _k, ...downgraded } = world.record();
    expect((await run(downgraded)).code).toBe(1);
    expect((await run({ ...world.record(), kind: 'heads' })).err[0]).toMatch(/record kind "heads": not a registry record/);
  });

  describe('with an inclusion proof', () => {
    const proofArgs = (proof: unknown, ...extra: string[]) => ['--proof', world.file(proof, 'proof.json'), '--log-key', world.logSigner.verifierKey, ...extra];

    it('checks the checkpoint and the inclusion of the record entry at its logIndex, for every position in logs of several sizes', async () => {
      for (const [before, after] of [[0, 0], [0, 1], [1, 0], [6, 0], [7, 9], [255, 1]]) {
        world.appendFiller(before);
        const record = world.record();
        world.appendFiller(after);
        const result = await run(record, ...proofArgs(world.recordProof(record)));
        expect([before, after, result.code, result.err]).toEqual([before, after, 0, []]);
        expect(result.out).toContainEqual(expect.stringMatching(new RegExp(`^✓ checkpoint \\(size ${world.size}, root .*\\) signed by the log key ${world.logSigner.name}\\+[0-9a-f]{8}$`)));
        expect(result.out).toContainEqual(expect.stringMatching(new RegExp(`^✓ record .* included in the log: its entry \\(\\d+ bytes\\) at index ${String(record.logIndex)} of the checkpoint's tree of size ${world.size}$`)));
      }
    });

    it('catches a checkpoint with a changed root, a proof of another entry, and a proof for another tree size', async () => {
      world.appendFiller(5);
      const record = world.record();
      world.appendFiller(3);
      const proof = world.recordProof(record);
      const checkpointText = proof.checkpoint as string;
      const changedRoot = checkpointText.replace(world.root().toString('base64'), Buffer.alloc(32, 7).toString('base64'));
      const forged = await run(record, ...proofArgs({ ...proof, checkpoint: changedRoot }));
      expect(forged.code).toBe(1);
      expect(forged.err[0]).toMatch(/^clearance-verify: FAILED: checkpoint \(size 9, root B[^)]*\) signed by the log key .*: the Ed25519 signature does not verify/);

      const other = await run(record, ...proofArgs({ ...proof, logIndex: 4, inclusionProof: world.inclusion(4) }));
      expect(other.code).toBe(1);
      expect(other.err[0]).toMatch(/its logIndex 5 is not the proof's 4/);
      const { logIndex: _logIndex, ...unindexed } = record;
      const wrongLeaf = await run(unindexed, ...proofArgs({ ...proof, logIndex: 4, inclusionProof: world.inclusion(4) }));
      expect(wrongLeaf.code).toBe(1);
      expect(wrongLeaf.err[0]).toMatch(/included in the log: .*: the inclusion proof does not lead to the checkpoint root/);

      world.appendFiller(1);
      const later = world.file(world.checkpoint(), 'checkpoint.txt');
      const stale = await run(record, ...proofArgs(proof, '--checkpoint', later));
      expect(stale.code).toBe(1);
      expect(stale.err[0]).toMatch(/made for tree size 9, the checkpoint has size 10/);
    });

    it('needs the witness quorum on the checkpoint when witness keys are given', async () => {
      const record = world.record();
      const proof = { ...world.recordProof(record), checkpoint: world.checkpoint(world.size, 1) };
      expect((await run(record, ...proofArgs(proof, ...world.witnessKeyArgs(2), '--quorum', '1'))).code).toBe(0);
      const below = await run(record, ...proofArgs(proof, ...world.witnessKeyArgs(2)));
      expect(below.code).toBe(1);
      expect(below.err[0]).toMatch(/witness quorum on the checkpoint: 1 of 2 witnesses cosigned, 2 needed: below quorum/);
    });

    it('refuses proof options without --proof, and --proof without --log-key (exit 2)', async () => {
      const record = world.record();
      expect((await run(record, '--log-key', world.logSigner.verifierKey)).code).toBe(2);
      const noKey = await run(record, '--proof', world.file(world.recordProof(record)));
      expect(noKey.code).toBe(2);
      expect(noKey.err[0]).toBe('clearance-verify: record needs --log-key');
    });
  });
});
