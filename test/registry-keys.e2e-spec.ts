import { createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import canonicalize from 'canonicalize';
import { dropDatabase } from '@app/persistence';
import { expectOk, waitForOk, type OkBody } from '@app/testing';
import { CaseDriver } from './support/case-driver.js';
import { startStack, type TestStack } from './support/stack.js';
import { createWorld } from './support/world.js';

type RegistryRecord = OkBody<'/v1/public/registry/{id}'>;

const pkcs8Pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Ed25519 over the JCS bytes of the record without `signature` and `logIndex`, with the JWK its `keyId` names. */
const signatureHolds = (record: RegistryRecord, keys: OkBody<'/v1/public/keys'>['keys']): boolean => {
  const { signature, logIndex: _logIndex, ...signed } = record;
  const jwk = keys.find((k) => k.kid === record.keyId);
  if (!jwk || !signature) return false;
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
  return verify(null, Buffer.from(canonicalize(signed)!), key, Buffer.from(signature, 'base64'));
};

describe('registry keys: REGISTRY_SIGNING_KEY from configuration, rotated, keeps every record verifiable (own database)', () => {
  const database = `clearance_keys_${randomBytes(4).toString('hex')}`;
  let databaseUrl: string;
  let directory: string;
  let stack: TestStack | null = null;

  beforeAll(() => {
    const url = new URL(process.env.CLEARANCE_TEST_DATABASE_URL!);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    directory = mkdtempSync(join(tmpdir(), 'clearance-keys-'));
  });
  afterAll(async () => {
    await stack?.close();
    await dropDatabase(databaseUrl);
    rmSync(directory, { recursive: true, force: true });
  });

  /** A stack signing with `key`, and the released record of one case it carried through. */
  const releasedUnder = async (key: string): Promise<RegistryRecord> => {
    await stack?.close();
    stack = await startStack({ env: { DATABASE_URL: databaseUrl, REGISTRY_SIGNING_KEY: key } });
    const world = await createWorld(stack.http);
    const driver = new CaseDriver(world);
    const caseId = await driver.inAudit([world.auditorA]);
    await driver.approve(world.auditorA, caseId);
    await driver.fireOk(world.developer, caseId, 'RECORD_RELEASE', { components: [{ component: 'inference_code', release: 'open', location: 'https://example.org/code' }] });
    const http = stack.http;
    const { items } = await waitForOk(() => http.get(`/v1/public/registry?caseId=${caseId}`), (page) => page.items.some((r) => r.state === 'released'), {
      timeoutMs: 15_000,
      what: 'the released record',
    });
    return items.find((r) => r.state === 'released')!;
  };

  it('signs with a configured PEM, then with a key file after a rotation, lists both keys and both records verify', async () => {
    const before = await releasedUnder(pkcs8Pem());
    const keyFile = join(directory, 'registry-key.pem');
    writeFileSync(keyFile, pkcs8Pem(), { mode: 0o600 });
    const after = await releasedUnder(keyFile);
    expect(after.keyId).not.toBe(before.keyId);

    const { keys } = expectOk(await stack!.http.get('/v1/public/keys'));
    expect(keys.map((k) => k.kid)).toEqual(expect.arrayContaining([before.keyId, after.keyId]));
    // The record signed before the rotation is served unchanged and still verifies, as does the new one.
    const servedBefore = expectOk(await stack!.http.get(`/v1/public/registry/${before.id}`));
    expect(servedBefore.signature).toBe(before.signature);
    expect([signatureHolds(servedBefore, keys), signatureHolds(after, keys)]).toEqual([true, true]);
    // A changed record does not.
    expect(signatureHolds({ ...after, tier: after.tier === 'low' ? 'high' : 'low' }, keys)).toBe(false);
  });
});
