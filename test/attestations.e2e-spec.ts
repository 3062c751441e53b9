import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { canonicalJson } from '@app/integrity';
import { expectProblem, lowTierAssessment, waitFor, type OkBody } from '@app/testing';
import { runVerify } from '../apps/verify/src/verify-cli.js';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

type RegistryItem = OkBody<'/v1/public/registry'>['items'][number];

const PREDICATE_TYPE = 'https://clearance.example/registry/release-decision/v1';
const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Attestations (SPEC "The public registry as a transparency log"): each record of a model version with weights, as signed in-toto. */
describe('registry attestations', () => {
  const suite = useSuite();
  const dir = mkdtempSync(join(tmpdir(), 'clearance-attestations-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const http = () => suite.stack.http;

  const save = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value, null, 2));
    return path;
  };
  const verify = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runVerify(argv, { out: (line) => out.push(line), err: (line) => out.push(line) });
    return { code, text: out.join('\n') };
  };

  const recordsOnce = (caseId: string, state: string) =>
    waitFor(
      async () => expectOk(await http().get(`/v1/public/registry?caseId=${caseId}`)).items,
      (items: RegistryItem[]) => items.some((r) => r.state === state),
      { timeoutMs: 15_000, what: `the ${state} record of ${caseId}` },
    ).then((items) => items.find((r) => r.state === state)!);

  const clearedCase = async (model: Record<string, unknown>, assessment = lowTierAssessment()) => {
    const { driver, world } = suite;
    const caseId = await driver.create(world.developer, assessment, model);
    await driver.fireOk(world.developer, caseId, 'SUBMIT');
    await driver.waitForState(caseId, ['awaiting_assignment']);
    await driver.fireOk(world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: world.auditorA.id });
    await driver.approve(world.auditorA, caseId, { opinion: 'qualified', basis: 'fine' });
    return caseId;
  };

  it('attests each record of the weights as a DSSE-signed in-toto statement that clearance-verify checks, and a revocation as a new one', async () => {
    const weights = randomBytes(4096);
    const weightsPath = save('model.safetensors', weights);
    const digest = sha256Hex(weights);
    const caseId = await clearedCase({ name: `attested-${randomUUID().slice(0, 8)}`, version: '3.1', checkpointSha256: digest });
    const cleared = await recordsOnce(caseId, 'cleared');
    const record = expectOk(await http().get(`/v1/public/registry/${cleared.id}`));

    const envelope = expectOk(await http().get(`/v1/public/registry/${cleared.id}/attestation`));
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(envelope.signatures.map((s) => s.keyid)).toEqual([record.keyId]);
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    const { logIndex, ...logged } = record;
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: `${record.model.name}@3.1`, digest: { sha256: digest } }],
      predicateType: PREDICATE_TYPE,
      predicate: expect.objectContaining({
        record: { id: record.id, logIndex, sha256: sha256Hex(canonicalJson(logged)) },
        caseId,
        decision: 'cleared',
        clearance: record.clearance,
        chainHead: record.chainHead,
      }),
    });
    // Derived from the logged record: the same envelope every time.
    expect(expectOk(await http().get(`/v1/public/registry/${cleared.id}/attestation`))).toEqual(envelope);

    const keys = save('keys.json', expectOk(await http().get('/v1/public/keys')));
    const envelopePath = save('envelope.json', envelope);
    const recordPath = save('record.json', record);
    const byFile = await verify('attestation', envelopePath, '--keys', keys, '--weights', weightsPath, '--record', recordPath);
    expect(byFile.text).toContain(`✓ weights ${weightsPath}: SHA-256 ${digest} is the digest of the attested subject`);
    expect(byFile.code).toBe(0);
    expect((await verify('attestation', envelopePath, '--keys', keys, '--weights-sha256', digest)).code).toBe(0);

    // A changed payload fails the signature; other weights fail the subject.
    const forged = { ...statement, predicate: { ...statement.predicate, decision: 'released' } };
    const changed = await verify('attestation', save('changed.json', { ...envelope, payload: Buffer.from(JSON.stringify(forged)).toString('base64') }), '--keys', keys, '--weights', weightsPath);
    expect(changed.code).toBe(1);
    expect(changed.text).toMatch(/FAILED: attestation DSSE signature/);
    const other = await verify('attestation', envelopePath, '--keys', keys, '--weights', save('other.safetensors', randomBytes(4096)));
    expect(other.code).toBe(1);
    expect(other.text).toMatch(/FAILED: .*the attestation is for other weights/);

    // A revocation is a new record, hence a new statement; the first one stands as it was.
    await suite.driver.fireOk(suite.world.regulator, caseId, 'REVOKE', { reason: 'misuse' });
    const revoked = await recordsOnce(caseId, 'revoked');
    const revocation = expectOk(await http().get(`/v1/public/registry/${revoked.id}/attestation`));
    const revokedStatement = JSON.parse(Buffer.from(revocation.payload, 'base64').toString('utf8'));
    expect(revokedStatement.subject).toEqual(statement.subject);
    expect(revokedStatement.predicate).toMatchObject({ decision: 'revoked', record: { id: revoked.id } });
    expect(expectOk(await http().get(`/v1/public/registry/${cleared.id}/attestation`))).toEqual(envelope);
    expect((await verify('attestation', save('revocation.json', revocation), '--keys', keys, '--weights-sha256', digest)).code).toBe(0);
  });

  it('answers 404 for a model version without checkpointSha256 and for an unknown record', async () => {
    // Weights kept internal need no checkpointSha256.
    const internalWeights = lowTierAssessment({
      components: [
        { component: 'model_parameters', release: 'internal' },
        { component: 'model_card', release: 'open' },
      ],
    });
    const caseId = await clearedCase({ checkpointSha256: undefined }, internalWeights);
    const cleared = await recordsOnce(caseId, 'cleared');
    expect(expectOk(await http().get(`/v1/public/registry/${cleared.id}`)).model.checkpointSha256).toBeNull();
    expectProblem(await http().get(`/v1/public/registry/${cleared.id}/attestation`), 404);
    expectProblem(await http().get(`/v1/public/registry/${randomUUID()}/attestation`), 404);
  });
});
