import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ed25519Cosigner, ed25519NoteSigner, signCheckpoint } from '@app/tlog';
import { ORIGIN, VerifyWorld, verify } from './testing/verify-world.fixture.js';

describe('clearance-verify checkpoint', () => {
  let world: VerifyWorld;
  beforeEach(() => {
    world = new VerifyWorld(3);
    world.appendFiller(300);
  });
  afterEach(() => world.close());

  const run = (note: string, ...extra: string[]) => verify('checkpoint', world.file(note, 'checkpoint.txt'), '--log-key', world.logSigner.verifierKey, ...extra);

  it('checks the log signature and every witness cosignature, one line each', async () => {
    const result = await run(world.checkpoint(), ...world.witnessKeyArgs());
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      `✓ checkpoint origin ${ORIGIN}`,
      `✓ checkpoint (size 300, root ${world.root().toString('base64')}) signed by the log key ${world.logSigner.name}+${world.logSigner.keyId.toString(16).padStart(8, '0')}`,
      ...world.witnesses.map((w, i) => expect.stringMatching(new RegExp(`^✓ checkpoint cosigned by witness witness-${i + 1}\\.example\\+[0-9a-f]{8} at 2026-\\S+ \\(cosignature/v1\\)$`)) as unknown as string),
      '✓ witness quorum on the checkpoint: 3 of 3 witnesses cosigned, 3 needed',
      'OK: checkpoint: all 6 checks passed',
    ]);
  });

  it('catches a checkpoint with a changed root or size', async () => {
    const note = world.checkpoint();
    for (const changed of [
      note.replace(world.root().toString('base64'), world.root(299).toString('base64')),
      note.replace('\n300\n', '\n301\n'),
    ]) {
      const result = await run(changed);
      expect(result.code).toBe(1);
      expect(result.err).toEqual([expect.stringMatching(/^clearance-verify: FAILED: checkpoint \(size 30[01], .*\) signed by the log key .*: the Ed25519 signature does not verify/)]);
    }
  });

  it('catches a dropped witness signature below quorum, and a forged cosignature at any quorum', async () => {
    const note = world.checkpoint();
    const lines = note.split('\n');
    const dropped = lines.filter((line) => !line.startsWith('— witness-2.example ')).join('\n');
    expect(dropped).not.toBe(note);
    expect((await run(dropped, ...world.witnessKeyArgs(), '--quorum', '2')).code).toBe(0);
    const below = await run(dropped, ...world.witnessKeyArgs());
    expect(below.code).toBe(1);
    const missing = 'witness-2.example+' + world.witnesses[1].keyId.toString(16).padStart(8, '0');
    expect(below.out).toContain(`  witness ${missing}: no cosignature on the checkpoint`);
    expect(below.err).toEqual([`clearance-verify: FAILED: witness quorum on the checkpoint: 2 of 3 witnesses cosigned, 3 needed: below quorum (no cosignature by ${missing})`]);

    // A cosignature of another checkpoint moved onto this one.
    const other = world.checkpoint(299);
    const stolen = other.split('\n').find((line) => line.startsWith('— witness-1.example '))!;
    const forged = lines.map((line) => (line.startsWith('— witness-1.example ') ? stolen : line)).join('\n');
    const result = await run(forged, ...world.witnessKeyArgs(), '--quorum', '1');
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/checkpoint cosigned by witness witness-1\.example\+[0-9a-f]{8} at .*: the cosignature does not verify/);
  });

  it('refuses a checkpoint of another log, one signed by another key, and a malformed note', async () => {
    const stranger = ed25519NoteSigner(ORIGIN, generateKeyPairSync('ed25519').privateKey);
    const otherKey = await run(signCheckpoint({ origin: ORIGIN, size: 300, rootHash: world.root() }, [stranger]));
    expect(otherKey.code).toBe(1);
    expect(otherKey.err[0]).toMatch(/no signature by the log key/);
    const otherLog = await run(signCheckpoint({ origin: 'other.example/log', size: 300, rootHash: world.root() }, [world.logSigner]));
    expect(otherLog.code).toBe(1);
    expect(otherLog.err[0]).toMatch(/checkpoint origin other\.example\/log: is not the log key's name/);
    const malformed = await run('clearance.example/registry\n300\nnot-base64\n\n— x AAAAAAAA\n');
    expect(malformed.code).toBe(1);
    expect(malformed.err[0]).toMatch(/^clearance-verify: FAILED: checkpoint: malformed/);
  });

  it('takes keys from files, and refuses a witness key as the log key or a quorum above the witnesses given (exit 2)', async () => {
    const keyFile = world.file(`${world.logSigner.verifierKey}\n`, 'log.vkey');
    const fromFile = await verify('checkpoint', world.file(world.checkpoint()), '--log-key', keyFile);
    expect(fromFile.code).toBe(0);
    const swapped = await verify('checkpoint', world.file(world.checkpoint()), '--log-key', world.witnesses[0].verifierKey);
    expect(swapped.code).toBe(2);
    expect(swapped.err[0]).toMatch(/--log-key witness-1\.example has type 0x04; a log key has type 0x01/);
    const tooMany = await run(world.checkpoint(), ...world.witnessKeyArgs(1), '--quorum', '2');
    expect(tooMany.code).toBe(2);
    expect(tooMany.err[0]).toMatch(/--quorum 2 needs at least 2 --witness-key/);
    const bogus = await run(world.checkpoint(), '--witness-key', 'no-such-file');
    expect(bogus.code).toBe(2);
    const cosignerOfOtherName = ed25519Cosigner('witness-x', generateKeyPairSync('ed25519').privateKey);
    const missing = await run(world.checkpoint(), '--witness-key', cosignerOfOtherName.verifierKey, '--quorum', '0');
    expect(missing.code).toBe(0);
    expect(missing.out).toContain('✓ witness quorum on the checkpoint: 0 of 1 witnesses cosigned, 0 needed');
  });
});
