import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { signEnvelope } from '@app/tlog';
import { registryKey, VerifyWorld, verify } from './testing/verify-world.fixture.js';

describe('clearance-verify attestation', () => {
  let world: VerifyWorld;
  let weights: Buffer;
  let weightsSha256: string;
  beforeEach(() => {
    world = new VerifyWorld(0);
    weights = Buffer.alloc(3 * 1024 * 1024 + 17, 'w');
    weightsSha256 = createHash('sha256').update(weights).digest('hex');
  });
  afterEach(() => world.close());

  const run = (envelope: unknown, ...extra: string[]) => verify('attestation', world.file(envelope, 'envelope.json'), '--keys', world.file(world.keys, 'keys.json'), ...extra);

  it('checks the DSSE signature over PAE, the statement, and the weights hashed from a file', async () => {
    const result = await run(world.attestation(weightsSha256), '--weights', world.file(weights.toString(), 'weights.bin'));
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      '✓ attestation payloadType application/vnd.in-toto+json',
      `✓ attestation DSSE signature: Ed25519 by key ${world.registry.kid} over PAE(payloadType, payload)`,
      '✓ attestation statement _type https://in-toto.io/Statement/v1',
      `✓ attestation statement: predicateType https://clearance.example/release-decision/v1, subject model-a@1.0 sha256:${weightsSha256}`,
      expect.stringMatching(new RegExp(`^✓ weights .*weights\\.bin: SHA-256 ${weightsSha256} is the digest of the attested subject model-a@1\\.0$`)),
      'OK: attestation: all 5 checks passed',
    ]);
    const byHash = await run(world.attestation(weightsSha256), '--weights-sha256', weightsSha256.toUpperCase());
    expect(byHash.code).toBe(0);
    const unchecked = await run(world.attestation(weightsSha256));
    expect(unchecked.code).toBe(0);
    expect(unchecked.out).toContain('  weights not compared: give --weights <file> or --weights-sha256 <hex>');
  });

  it('catches an attestation for other weights', async () => {
    const other = createHash('sha256').update('other weights').digest('hex');
    const result = await run(world.attestation(other), '--weights', world.file(weights.toString(), 'weights.bin'));
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringMatching(new RegExp(`^clearance-verify: FAILED: weights .*: SHA-256 ${weightsSha256} is not the attested digest: the attestation is for other weights \\(model-a@1\\.0 sha256:${other}\\)$`)),
    ]);
    expect((await run(world.attestation(weightsSha256), '--weights-sha256', other)).code).toBe(1);
  });

  it('catches a changed payload, a signature by another key, and another payload type', async () => {
    const envelope = world.attestation(weightsSha256);
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    statement.subject[0].digest.sha256 = 'a'.repeat(64);
    const changed = await run({ ...envelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') });
    expect(changed.code).toBe(1);
    expect(changed.err[0]).toMatch(/^clearance-verify: FAILED: attestation DSSE signature by a key of .*: envelope has 0 valid signature\(s\) from trusted keys, needs 1 \(the envelope was changed or signed by another key\)$/);

    const stranger = registryKey();
    const foreign = signEnvelope(envelope.payloadType, Buffer.from(envelope.payload, 'base64'), [{ keyid: world.registry.kid, privateKey: stranger.privateKey }]);
    expect((await run(foreign)).code).toBe(1);

    const retyped = signEnvelope('application/json', Buffer.from(envelope.payload, 'base64'), [{ keyid: world.registry.kid, privateKey: world.registry.privateKey }]);
    const typed = await run(retyped);
    expect(typed.code).toBe(1);
    expect(typed.err[0]).toMatch(/attestation payloadType application\/vnd\.in-toto\+json: is "application\/json"/);

    const notStatement = signEnvelope(envelope.payloadType, Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', subject: [] })), [
      { keyid: world.registry.kid, privateKey: world.registry.privateKey },
    ]);
    expect((await run(notStatement)).err[0]).toMatch(/statement _type https:\/\/in-toto\.io\/Statement\/v1: is "https:\/\/in-toto\.io\/Statement\/v0\.1"/);
  });

  it('checks that the subject is the model version and weights of the record it is derived from', async () => {
    const record = world.record({ model: { name: 'model-a', version: '1.0', checkpointSha256: weightsSha256, baseModels: [] } });
    const ok = await run(world.attestation(weightsSha256), '--record', world.file(record, 'record.json'));
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`✓ attestation subject is the record's model model-a@1.0 sha256:${weightsSha256}`);
    for (const envelope of [world.attestation(weightsSha256, 'model-a@2.0'), world.attestation('b'.repeat(64))]) {
      const other = await run(envelope, '--record', world.file(record, 'record.json'));
      expect(other.code).toBe(1);
      expect(other.err[0]).toMatch(/attestation subject is the record's model model-a@1\.0 .*: the attestation is of another model version or other weights than the record$/);
    }
  });

  it('refuses --weights with --weights-sha256, and a malformed digest (exit 2)', async () => {
    const envelope = world.attestation(weightsSha256);
    expect((await run(envelope, '--weights', 'x', '--weights-sha256', weightsSha256)).code).toBe(2);
    expect((await run(envelope, '--weights-sha256', 'abc')).code).toBe(2);
    const missing = await run(envelope, '--weights', world.file('', 'gone') + '-missing');
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/cannot read weights/);
  });
});
