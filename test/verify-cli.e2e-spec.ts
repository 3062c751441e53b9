import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { sha256Of, waitFor, type HttpClient } from '@app/testing';
import { runVerify } from '../apps/verify/src/verify-cli.js';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

const BIN = join(process.cwd(), 'bin/clearance-verify.js');
const BUILT = join(process.cwd(), 'dist/apps/verify/src/clearance-verify.js');

/** What a third party does: save what the API serves, then run clearance-verify on the files. */
describe('clearance-verify against the served registry and history', () => {
  const suite = useSuite();
  const dir = mkdtempSync(join(tmpdir(), 'clearance-verify-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const save = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value, null, 2));
    return path;
  };
  const verify = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runVerify(argv, { out: (line) => out.push(line), err: (line) => out.push(line) });
    return { code, text: out.join('\n') };
  };

  /** Every page of `GET /v1/cases/:id/history`, three rows at a time, joined. */
  const historyExport = async (http: HttpClient, caseId: string) => {
    const items: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: unknown[]; nextCursor: string | null } = expectOk(
        await http.get(`/v1/cases/${caseId}/history?limit=3${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`),
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return { items };
  };

  it('verifies a served record against /v1/public/keys and a paged history export, and catches them changed', async () => {
    const { driver, world } = suite;
    const caseId = await driver.inAudit([world.auditorA]);
    await driver.approve(world.auditorA, caseId, { opinion: 'qualified', basis: 'card needs work', conditions: [] });
    await driver.fireOk(world.developer, caseId, 'RECORD_RELEASE', {
      components: [{ component: 'model_parameters', release: 'open', location: 'https://example.org/weights', sha256: sha256Of('weights') }],
    });
    const listed = await waitFor(
      async () => expectOk(await suite.stack.http.get(`/v1/public/registry?caseId=${caseId}`)).items as { id: string; state: string }[],
      (items) => items.some((r) => r.state === 'released'),
      { timeoutMs: 15_000, what: `the released record of ${caseId}` },
    );
    const served = expectOk(await suite.stack.http.get(`/v1/public/registry/${listed.find((r) => r.state === 'released')!.id}`));
    const keys = save('keys.json', expectOk(await suite.stack.http.get('/v1/public/keys')));

    const record = await verify('record', save('record.json', served), '--keys', keys);
    expect(record.text).toMatch(new RegExp(`✓ record ${served.id} signature: Ed25519 by key ${served.keyId}`));
    expect(record.code).toBe(0);
    const changed = await verify('record', save('changed-record.json', { ...served, state: 'revoked' }), '--keys', keys);
    expect(changed.code).toBe(1);
    expect(changed.text).toMatch(/FAILED: record .* signature: .*does not verify/);

    const history = await historyExport(world.developer.http, caseId);
    expect(history.items.length).toBeGreaterThan(3);
    const verified = await verify('history', save('history.json', history), '--case', caseId);
    expect(verified.text).toContain(`✓ history of case ${caseId}: ${history.items.length} rows`);
    expect(verified.code).toBe(0);
    // The served record's chain head is the history row at its seq.
    const headRow = history.items[served.chainHead.seq - 1] as { hash: string };
    expect(headRow.hash).toBe(served.chainHead.hash);
    const rows = history.items as Record<string, unknown>[];
    const tampered = rows.map((row) => (row.seq === 2 ? { ...row, at: '2020-01-01T00:00:00.000Z' } : row));
    const caught = await verify('history', save('tampered.json', { items: tampered }), '--case', caseId);
    expect(caught.code).toBe(1);
    expect(caught.text).toMatch(/FAILED: history row 2: its hash .* is not the hash of its content/);

    // The bin itself, as `npx clearance-verify` runs it (npm test builds first; without a build it says so).
    const bin = spawnSync(process.execPath, [BIN, 'record', join(dir, 'record.json'), '--keys', keys], { encoding: 'utf8' });
    if (existsSync(BUILT)) {
      expect([bin.status, bin.stderr]).toEqual([0, '']);
      expect(bin.stdout).toMatch(/^OK: record: all 2 checks passed$/m);
    } else {
      expect([bin.status, bin.stderr]).toEqual([2, expect.stringMatching(/not built yet; run `npm run build`/)]);
    }
  });
});
