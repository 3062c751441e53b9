import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { canonicalJson } from '@app/integrity';
import { expectProblem, lowTierAssessment, outcomeOf, waitFor, type OkBody } from '@app/testing';
import { runVerify } from '../apps/verify/src/verify-cli.js';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

type RegistryItem = OkBody<'/v1/public/registry'>['items'][number];

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Redactions (SPEC "Redactions"): a regulator withholds fields of a case's future public records. */
describe('redactions of public records', () => {
  const suite = useSuite();
  const dir = mkdtempSync(join(tmpdir(), 'clearance-redactions-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const http = () => suite.stack.http;

  const save = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value, null, 2));
    return path;
  };

  /** The case's records once one is in `state`, newest first. */
  const recordsOnce = (caseId: string, state: string) =>
    waitFor(
      async () => expectOk(await http().get(`/v1/public/registry?caseId=${caseId}`)).items,
      (items: RegistryItem[]) => items.some((r) => r.state === state),
      { timeoutMs: 15_000, what: `the ${state} record of ${caseId}` },
    );

  /** A cleared case with an external base model, an opinion basis and two conditions. */
  const clearedCase = async () => {
    const { driver, world } = suite;
    const caseId = await driver.create(world.developer, lowTierAssessment(), {
      baseModels: [{ external: { name: 'base-7b', origin: 'https://hub.example.org/base-7b' } }],
    });
    await driver.fireOk(world.developer, caseId, 'SUBMIT');
    await driver.waitForState(caseId, ['awaiting_assignment']);
    await driver.fireOk(world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: world.auditorA.id });
    await driver.approve(world.auditorA, caseId, {
      opinion: 'qualified',
      basis: 'red-teaming found a jailbreak class we do not publish',
      conditions: [{ text: 'keep the jailbreak mitigations on' }, { text: 'code stays behind the API', component: 'inference_code', maxRelease: 'api' }],
    });
    return caseId;
  };

  const redact = (caseId: string, body: unknown, member = suite.world.regulator) => member.http.post(`/v1/cases/${caseId}/redactions`, body as never);

  it('refuses bad paths and reasons by name, non-regulators with 403 and non-readers with 404, changing nothing', async () => {
    const { world, driver } = suite;
    const caseId = await clearedCase();
    const before = expectOk(await driver.get(world.regulator.http, caseId)).version;

    const badPath = expectProblem(await redact(caseId, { path: '$.opinions[*].kind', reason: 'security' }), 400);
    expect(badPath.errors?.map((e) => e.path)).toEqual(['$.path']);
    const badReason = expectProblem(await redact(caseId, { path: '$.opinions[*].basis', reason: 'embarrassing' }), 400);
    expect(badReason.errors?.map((e) => e.path)).toEqual(['$.reason']);
    const body = { path: '$.opinions[*].basis', reason: 'security' };
    expect(outcomeOf(await redact(caseId, body, world.developer))).toMatch(/^403 /);
    expect(outcomeOf(await redact(caseId, body, world.auditorA))).toMatch(/^403 /);
    expect(outcomeOf(await redact(randomUUID(), body))).toMatch(/^404 /);

    // Readers see the openings; others get 404 as for the case.
    for (const reader of [world.developer, world.auditorA, world.regulator]) expect(expectOk(await reader.http.get(`/v1/cases/${caseId}/redactions`))).toEqual({ items: [] });
    for (const outsider of [world.otherDeveloper, world.auditorB]) expect(outcomeOf(await outsider.http.get(`/v1/cases/${caseId}/redactions`))).toMatch(/^404 /);

    expect(expectOk(await driver.get(world.regulator.http, caseId)).version).toBe(before);
    expect((await driver.history(caseId)).some((h) => h.type === 'REDACTION_ADDED')).toBe(false);
  });

  it('withholds the basis and condition texts of every later record with commitments the readers can open; earlier records stay as logged', async () => {
    const { world, driver } = suite;
    const caseId = await clearedCase();
    const [cleared] = await recordsOnce(caseId, 'cleared');
    const clearedBefore = expectOk(await http().get(`/v1/public/registry/${cleared!.id}`));
    expect(clearedBefore.opinions[0]?.basis).toBe('red-teaming found a jailbreak class we do not publish');

    const version = expectOk(await driver.get(world.regulator.http, caseId)).version;
    const added = await redact(caseId, { path: '$.opinions[*].basis', reason: 'security' });
    expect(expectOk(added)).toMatchObject({ caseId, path: '$.opinions[*].basis', reason: 'security' });
    expect(added.headers.get('etag')).toBe(`"${version + 1}"`);
    expectOk(await redact(caseId, { path: '$.opinions[*].conditions[*].text', reason: 'commercial' }));
    expect(outcomeOf(await redact(caseId, { path: '$.opinions[*].basis', reason: 'personal' }))).toBe('409 /problems/already-redacted');

    const history = await driver.history(caseId);
    const rows = history.filter((h) => h.type === 'REDACTION_ADDED');
    expect(rows.map((r) => [r.payload, r.actor === 'system' ? 'system' : r.actor.role, r.fromState, r.toState])).toEqual([
      [{ path: '$.opinions[*].basis', reason: 'security' }, 'regulator', 'cleared', 'cleared'],
      [{ path: '$.opinions[*].conditions[*].text', reason: 'commercial' }, 'regulator', 'cleared', 'cleared'],
    ]);
    expect(expectOk(await world.regulator.http.get(`/v1/cases/${caseId}/history/verify`))).toEqual({
      valid: true,
      length: history.length,
      headHash: history.at(-1)?.hash,
      firstBadSeq: null,
    });

    await driver.fireOk(world.developer, caseId, 'RECORD_RELEASE', {
      components: [{ component: 'inference_code', release: 'api', location: 'https://example.org/api' }],
    });
    const released = (await recordsOnce(caseId, 'released')).find((r) => r.state === 'released')!;
    const record = expectOk(await http().get(`/v1/public/registry/${released.id}`));
    expect(record.opinions[0]).toMatchObject({ basis: null, conditions: [{ text: null }, { text: null, component: 'inference_code', maxRelease: 'api' }] });
    // What no rule names stays published.
    expect(record.model.baseModels).toEqual([{ external: { name: 'base-7b', origin: 'https://hub.example.org/base-7b' } }]);
    expect(record.redactions?.map((r) => [r.path, r.reason])).toEqual([
      ['$.opinions[0].basis', 'security'],
      ['$.opinions[0].conditions[0].text', 'commercial'],
      ['$.opinions[0].conditions[1].text', 'commercial'],
    ]);

    // The readers' openings reproduce each commitment; nobody else gets them.
    const openings = expectOk(await world.developer.http.get(`/v1/cases/${caseId}/redactions`));
    expect(openings.items.map((i) => [i.recordId, i.path, i.value])).toEqual([
      [record.id, '$.opinions[0].basis', 'red-teaming found a jailbreak class we do not publish'],
      [record.id, '$.opinions[0].conditions[0].text', 'keep the jailbreak mitigations on'],
      [record.id, '$.opinions[0].conditions[1].text', 'code stays behind the API'],
    ]);
    for (const [i, opening] of openings.items.entries()) {
      expect(opening.salt).toMatch(/^[0-9a-f]{64}$/);
      expect(sha256Hex(canonicalJson({ salt: opening.salt, value: opening.value }))).toBe(record.redactions?.[i]?.commitment);
      expect(sha256Hex(canonicalJson({ salt: opening.salt, value: 'something else' }))).not.toBe(record.redactions?.[i]?.commitment);
    }
    expect(new Set(openings.items.map((i) => i.salt)).size).toBe(3);
    expect(expectOk(await world.auditorA.http.get(`/v1/cases/${caseId}/redactions`))).toEqual(openings);

    // The record logged before the redaction is unchanged, and both stay in the log.
    expect(expectOk(await http().get(`/v1/public/registry/${cleared!.id}`))).toEqual(clearedBefore);
    expect(record.logIndex).toEqual(expect.any(Number));

    // The redacted record verifies offline like any other.
    const keys = save('keys.json', expectOk(await http().get('/v1/public/keys')));
    const verified = await verifyCli('record', save('record.json', record), '--keys', keys);
    expect(verified.code).toBe(0);
    const tampered = await verifyCli('record', save('unredacted.json', { ...record, opinions: [{ ...record.opinions[0], basis: openings.items[0]!.value }] }), '--keys', keys);
    expect(tampered.code).toBe(1);
  });

  it('withholds external base-model origins', async () => {
    const { world, driver } = suite;
    const caseId = await driver.create(world.developer, lowTierAssessment(), {
      baseModels: [{ external: { name: 'private-base', origin: 'https://internal.example.org/private-base' } }],
    });
    expectOk(await redact(caseId, { path: '$.model.baseModels[*].external.origin', reason: 'commercial' }));
    await driver.fireOk(world.developer, caseId, 'SUBMIT');
    await driver.waitForState(caseId, ['awaiting_assignment']);
    await driver.fireOk(world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: world.auditorA.id });
    await driver.approve(world.auditorA, caseId, { basis: 'fine' });
    const [cleared] = await recordsOnce(caseId, 'cleared');
    const record = expectOk(await http().get(`/v1/public/registry/${cleared!.id}`));
    expect(record.model.baseModels).toEqual([{ external: { name: 'private-base', origin: null } }]);
    expect(record.opinions[0]?.basis).toBe('fine');
    const [opening] = expectOk(await world.regulator.http.get(`/v1/cases/${caseId}/redactions`)).items;
    expect(opening).toMatchObject({ recordId: record.id, path: '$.model.baseModels[0].external.origin', reason: 'commercial', value: 'https://internal.example.org/private-base' });
    expect(sha256Hex(canonicalJson({ salt: opening!.salt, value: opening!.value }))).toBe(record.redactions?.[0]?.commitment);
  });
});

async function verifyCli(...argv: string[]) {
  const out: string[] = [];
  const code = await runVerify(argv, { out: (line) => out.push(line), err: (line) => out.push(line) });
  return { code, text: out.join('\n') };
}
