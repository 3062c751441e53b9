import { Buffer } from 'node:buffer';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { VerifyWorld, verify } from './testing/verify-world.fixture.js';

describe('clearance-verify consistency', () => {
  let world: VerifyWorld;
  beforeEach(() => {
    world = new VerifyWorld(1);
  });
  afterEach(() => world.close());

  const run = (older: string, newer: string, proof?: unknown, ...extra: string[]) =>
    verify(
      'consistency',
      world.file(older, 'old.txt'),
      world.file(newer, 'new.txt'),
      '--log-key',
      world.logSigner.verifierKey,
      ...(proof === undefined ? [] : ['--proof', world.file(proof, 'consistency.json')]),
      ...extra,
    );

  it('accepts a log that grew, with the RFC 9162 proof, for many pairs of sizes', async () => {
    world.appendFiller(70);
    for (const [from, to] of [[1, 2], [3, 7], [4, 8], [6, 70], [64, 65], [13, 70]]) {
      const result = await run(world.checkpoint(from), world.checkpoint(to), { from, to, proof: world.consistency(from, to) });
      expect([from, to, result.code, result.err]).toEqual([from, to, 0, []]);
      expect(result.out).toContainEqual(expect.stringMatching(new RegExp(`^✓ consistency: the tree of size ${to} extends the tree of size ${from} \\(RFC 9162 proof of \\d+ hashes\\)$`)));
    }
    const same = await run(world.checkpoint(9), world.checkpoint(9));
    expect(same.code).toBe(0);
    expect(same.out).toContainEqual(expect.stringMatching(/^✓ same tree: both checkpoints have size 9 and root /));
    expect((await run(world.checkpoint(0), world.checkpoint(5))).code).toBe(0);
  });

  it('catches a forked log: two signed checkpoints of one size with different roots', async () => {
    world.appendFiller(8);
    const honest = world.checkpoint();
    const forked = world.checkpoint(8, 1, world.root(7));
    const result = await run(honest, forked);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([expect.stringMatching(/^clearance-verify: FAILED: same tree: both checkpoints have size 8 and root .*: fork: two signed checkpoints of size 8 with different roots/)]);
  });

  it('catches a fork at a larger size: the proof of the other branch does not link the roots', async () => {
    world.appendFiller(5);
    const older = world.checkpoint();
    const branch = new VerifyWorld(1);
    try {
      // Another history of 5 entries, then grown to 9, signed by the same log key.
      Object.assign(branch, { logSigner: world.logSigner });
      branch.appendFiller(2);
      branch.append(Buffer.from('{"kind":"tampered"}'));
      branch.appendFiller(6);
      const result = await run(older, branch.checkpoint(9, 0), { from: 5, to: 9, proof: branch.consistency(5, 9) });
      expect(result.code).toBe(1);
      expect(result.err[0]).toMatch(/^clearance-verify: FAILED: consistency: .*: fork: the proof does not link the two roots/);
    } finally {
      branch.close();
    }
  });

  it('catches a shrunk log', async () => {
    world.appendFiller(12);
    const result = await run(world.checkpoint(12), world.checkpoint(10), { from: 12, to: 10, proof: [] });
    expect(result.code).toBe(1);
    expect(result.err).toEqual(['clearance-verify: FAILED: shrink: the new checkpoint has size 10, smaller than the old checkpoint\'s 12']);
  });

  it('refuses a proof made for other sizes (exit 1) and a missing proof (exit 2)', async () => {
    world.appendFiller(12);
    const other = await run(world.checkpoint(5), world.checkpoint(12), { from: 4, to: 12, proof: world.consistency(4, 12) });
    expect(other.code).toBe(1);
    expect(other.err[0]).toMatch(/made from size 4 to 12, the checkpoints have sizes 5 and 12/);
    const missing = await run(world.checkpoint(5), world.checkpoint(12));
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/needs --proof \(GET \/v1\/public\/log\/consistency\?from=5&to=12\)/);
  });

  it('checks the witness quorum on both checkpoints', async () => {
    world.appendFiller(6);
    const result = await run(world.checkpoint(3, 1), world.checkpoint(6, 0), { from: 3, to: 6, proof: world.consistency(3, 6) }, ...world.witnessKeyArgs());
    expect(result.code).toBe(1);
    expect(result.out).toContainEqual('✓ witness quorum on the old checkpoint: 1 of 1 witnesses cosigned, 1 needed');
    expect(result.err[0]).toMatch(/witness quorum on the new checkpoint: 0 of 1 witnesses cosigned, 1 needed: below quorum/);
  });
});
