import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expectOk, waitFor, waitForOk } from '@app/testing';
import { CaseDriver } from '../support/case-driver.js';
import { startStack, type TestStack } from '../support/stack.js';
import { createWorld, type World } from '../support/world.js';

const WEB_INDEX = resolve(process.cwd(), 'apps/web/dist/index.html');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('web app: the public registry, searched and verified in the browser without a token', () => {
  let stack: TestStack;
  let world: World;
  let driver: CaseDriver;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(WEB_INDEX)) throw new Error(`${WEB_INDEX} is missing: build the web app first (npm run build; npm test does it)`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
    stack = await startStack();
    world = await createWorld(stack.http);
    driver = new CaseDriver(world);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  // SPEC.md "HTTP hardening": the pages run under the CSP with no violation (Chromium logs each refusal).
  const cspViolations: string[] = [];
  // Requests the public pages send: none may carry a token.
  const authorised: string[] = [];

  /** A fresh context that never held a token. */
  const anonymous = async (): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    page.on('request', (request) => {
      if (request.headers().authorization) authorised.push(request.url());
    });
    return page;
  };

  const axe = async (page: Page, where: string) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    expect({ where, violations: bad }).toEqual({ where, violations: [] });
  };

  const verdicts = async (page: Page) => {
    for (const check of ['signature', 'inclusion', 'checkpoint']) await page.getByTestId(`check-${check}`).filter({ hasText: /pass|fail/ }).waitFor();
    return {
      signature: await page.getByTestId('check-signature').textContent(),
      inclusion: await page.getByTestId('check-inclusion').textContent(),
      checkpoint: await page.getByTestId('check-checkpoint').textContent(),
    };
  };

  /** A released case with a qualified opinion: two public records, the released one logged under a checkpoint. */
  const releasedModel = async (name: string, model: Record<string, unknown> = {}) => {
    const caseId = await driver.create(world.developer, undefined, { name, ...model });
    await driver.fireOk(world.developer, caseId, 'SUBMIT');
    await driver.waitForState(caseId, ['awaiting_assignment']);
    await driver.fireOk(world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: world.auditorA.id });
    await driver.approve(world.auditorA, caseId, {
      opinion: 'qualified',
      basis: 'evaluations reproduced',
      conditions: [{ text: 'inference code behind an API only', component: 'inference_code', maxRelease: 'api' }],
    });
    await driver.fireOk(world.developer, caseId, 'RECORD_RELEASE', { components: [{ component: 'inference_code', release: 'api', location: 'https://example.org/api' }] });
    const { items } = await waitForOk(() => stack.http.get(`/v1/public/registry?caseId=${caseId}`), (page) => page.items.length === 2, { timeoutMs: 15_000, what: 'two records' });
    const released = items[0];
    await waitFor(() => stack.http.get(`/v1/public/registry/${released.id}/proof`), (r) => r.status === 200, { timeoutMs: 15_000, what: 'a checkpoint covering the record' });
    return released;
  };

  it('lists records without a token, finds one by developer and model, and verifies its signature, inclusion and checkpoint', async () => {
    const model = `glacier-${randomUUID().slice(0, 8)}`;
    const record = await releasedModel(model);
    const tag = record.developer.name.split(' ').at(-1)!;

    const page = await anonymous();
    await page.goto(`${stack.baseUrl}/registry`);
    await page.getByRole('heading', { name: 'Public registry' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    await axe(page, 'public registry');

    await page.getByLabel('Developer').fill(tag.toUpperCase());
    await page.getByLabel('Model').fill(model.slice(3, 12));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('table').getByText(/^Records matching/).waitFor();
    const rows = page.getByRole('table').locator('tbody tr');
    expect(await rows.count()).toBe(2); // its cleared and its released record, nothing else
    await page.getByRole('table').locator(`a[href="/registry/${record.id}"]`).click();

    await page.getByRole('heading', { name: `${model} 1.0` }).waitFor();
    expect(await verdicts(page)).toEqual({ signature: '✓ pass', inclusion: '✓ pass', checkpoint: '✓ pass' });
    expect(await page.getByTestId('record-state').textContent()).toBe('released');
    await page.getByRole('heading', { name: 'Decision' }).waitFor();
    expect(await page.getByRole('row', { name: /inference code/ }).textContent()).toContain('api');
    await page.getByText('evaluations reproduced').waitFor();
    await page.getByTestId('attestation').waitFor();
    // Where the server publishes an attestation of the weights, it verifies here too.
    if ((await stack.http.offSchema('GET', `/v1/public/registry/${record.id}/attestation`)).status === 200) {
      await page.getByTestId('check-attestation').filter({ hasText: /pass|fail/ }).waitFor();
      expect(await page.getByTestId('check-attestation').textContent()).toBe('✓ pass');
    }
    await page.getByTestId('lineage').waitFor();
    expect(await page.getByTestId('lineage-node').count()).toBe(0); // no published base or derivative yet
    expect(await page.getByTestId('checkpoint-note').textContent()).toMatch(/^clearance\.example\/registry\n\d+\n/);
    await axe(page, 'registry record');
  }, 90_000);

  it('shows a record\'s published fine-tune in its lineage graph, linked to the fine-tune\'s own record', async () => {
    const base = await releasedModel(`tarn-${randomUUID().slice(0, 8)}`);
    const baseCase = expectOk(await driver.get(world.developer.http, base.caseId));
    const child = await releasedModel(`rill-${randomUUID().slice(0, 8)}`, { baseModels: [{ modelVersionId: baseCase.model!.id, relation: 'finetune' }] });
    const page = await anonymous();
    await page.goto(`${stack.baseUrl}/registry/${base.id}`);
    await page.getByTestId('lineage').waitFor();
    const nodes = page.getByTestId('lineage-node');
    await nodes.nth(1).waitFor();
    expect(await nodes.count()).toBe(2);
    expect(await nodes.nth(1).textContent()).toContain(`${child.model.name} 1.0`);
    await nodes.nth(1).getByRole('link').click();
    await page.getByRole('heading', { name: `${child.model.name} 1.0` }).waitFor();
    // The fine-tune's record carries its base model with the relation, signed and logged as served.
    expect(child.model.baseModels).toEqual([{ modelVersionId: baseCase.model!.id, relation: 'finetune' }]);
    expect(await verdicts(page)).toEqual({ signature: '✓ pass', inclusion: '✓ pass', checkpoint: '✓ pass' });
    await page.getByTestId('lineage-node').first().waitFor();
    expect(await page.getByTestId('lineage').textContent()).toContain('from');
    await axe(page, 'registry record with lineage');
  }, 90_000);

  it('shows a fail when one byte of the record the server answers changed', async () => {
    const record = await releasedModel(`moraine-${randomUUID().slice(0, 8)}`);
    const page = await anonymous();
    // Only the record itself: the proof, keys and checkpoint come through untouched.
    await page.route(`**/v1/public/registry/${record.id}`, async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      const at = body.indexOf('"evaluations reproduced"') + 1;
      expect(at).toBeGreaterThan(0);
      await route.fulfill({ response, body: `${body.slice(0, at)}E${body.slice(at + 1)}` });
    });
    await page.goto(`${stack.baseUrl}/registry/${record.id}`);
    await page.getByText('Evaluations reproduced').waitFor();
    expect(await verdicts(page)).toEqual({ signature: '✗ fail', inclusion: '✗ fail', checkpoint: '✓ pass' });
  }, 90_000);

  it('ran without a CSP violation and without a token on any request', () => {
    expect({ cspViolations, authorised }).toEqual({ cspViolations: [], authorised: [] });
  });
});
