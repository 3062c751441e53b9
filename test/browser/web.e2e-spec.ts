import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { currentTestEnvironment, expectOk } from '@app/testing';
import { startStack, type TestStack } from '../support/stack.js';
import { createWorld, type Member, type World } from '../support/world.js';

const WEB_INDEX = resolve(process.cwd(), 'apps/web/dist/index.html');
// The README's screenshots are refreshed on purpose (`npm run screenshots`), not by every test run.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? resolve(process.cwd(), 'docs/screenshots') : join(tmpdir(), 'clearance-screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Polls `read` until it returns `expected` (or fails after the timeout, showing the last value). */
const poll = async (read: () => Promise<string | null>, expected: string | RegExp, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await read().catch(() => null);
    if (last !== null && (typeof expected === 'string' ? last === expected : expected.test(last))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(last).toEqual(expected);
};

/** The web app's button label for each event (apps/web/src/components/actions.tsx). */
const LABELS: Record<string, string> = {
  SUBMIT: 'Submit for intake', RESUBMIT: 'Resubmit', AMEND: 'Amend', WITHDRAW: 'Withdraw',
  ASSIGN_AUDITOR: 'Assign auditor', REASSIGN_AUDITOR: 'Reassign auditor', DECLARE_CONFLICT: 'Declare conflict',
  ADD_FINDING: 'Add finding', RESOLVE_FINDING: 'Resolve finding', RESPOND_FINDING: 'Respond to finding',
  REQUEST_INFO: 'Request information', PROVIDE_INFO: 'Provide information', REQUEST_CHANGES: 'Request changes',
  APPROVE: 'Sign off', FLAG: 'Flag', CLEAR: 'Clear', REQUIRE_CHANGES: 'Require changes', HOLD: 'Hold',
  RECORD_RELEASE: 'Record release', REQUIRE_REASSESSMENT: 'Require reassessment', REVOKE: 'Revoke',
};

describe('web app: one high-tier case through every role in a real browser', () => {
  let stack: TestStack;
  let world: World;
  let browser: Browser;
  const pages: Page[] = [];
  // SPEC.md "HTTP hardening": the pages run under the CSP with no violation (Chromium logs each refusal).
  const cspViolations: string[] = [];
  const watchCsp = (page: Page) =>
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });

  beforeAll(async () => {
    if (!existsSync(WEB_INDEX)) {
      throw new Error(`${WEB_INDEX} is missing: build the web app first (npm run build; npm test does it)`);
    }
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startStack();
    world = await createWorld(stack.http);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** No serious or critical axe-core violation on the page as it is now. */
  const axe = async (page: Page, where: string) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    expect({ where, violations: bad }).toEqual({ where, violations: [] });
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** A fresh browser context signed in with the member's token, through the sign-in page. */
  const signIn = async (member: Member, options: { audit?: string } = {}): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    pages.push(page);
    watchCsp(page);
    page.setDefaultTimeout(15_000);
    await page.goto(stack.baseUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    if (options.audit) {
      await axe(page, 'sign in');
      await shot(page, options.audit);
    }
    await page.getByLabel('API token').fill(member.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  };

  const openCase = async (page: Page, caseId: string) => {
    await page.goto(`${stack.baseUrl}/cases/${caseId}`);
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  };
  const expectState = async (page: Page, state: string) => {
    await poll(() => page.getByTestId('case-state').textContent({ timeout: 1000 }), state);
  };
  /** The page offers exactly the actions the server lists in allowedEvents for this member. */
  const expectOwnActions = async (page: Page, member: Member, caseId: string) => {
    const { allowedEvents } = expectOk(await member.http.get(`/v1/cases/${caseId}`));
    const group = page.getByRole('group', { name: 'Actions you may take' });
    const shown = (await group.count()) === 0 ? [] : await group.getByRole('button').allTextContents();
    expect(shown.sort()).toEqual((allowedEvents as string[]).map((e) => LABELS[e]).sort());
    return allowedEvents as string[];
  };
  const act = async (page: Page, label: string, fill: () => Promise<void> = async () => {}) => {
    await page.getByRole('group', { name: 'Actions you may take' }).getByRole('button', { name: label, exact: true }).click();
    await fill();
    await page.getByRole('button', { name: `Confirm: ${label}` }).click();
    await page.getByRole('button', { name: `Confirm: ${label}` }).waitFor({ state: 'detached' });
  };
  /** Picks an option by value (ids: other suites' worlds reuse display names); returns every value offered. */
  const chooseOption = async (page: Page, label: string, value: string) => {
    const select = page.getByLabel(label, { exact: true });
    await select.waitFor();
    const values = await select.locator('option').evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value));
    expect(values).toContain(value);
    await select.selectOption({ value });
    return values;
  };

  it('files, audits, clears and releases a high-tier case, each role seeing only its own actions', async () => {
    const checkpoint = createHash('sha256').update('weights of tundra 2.0').digest('hex');
    const evidence = Buffer.from('participant,uplift\n1,0.02\n2,0.01\n');
    const evidenceSha = createHash('sha256').update(evidence).digest('hex');

    // Developer: my cases, a new case, the guided assessment form.
    const dev = await signIn(world.developer, { audit: 'sign-in' });
    await dev.getByRole('heading', { name: 'My cases' }).waitFor();
    await axe(dev, 'developer: my cases');
    await dev.getByRole('link', { name: 'New case' }).first().click();
    await dev.getByLabel('Model name').fill('tundra');
    await dev.getByLabel('Version').fill('2.0');
    await dev.getByLabel(/Checkpoint SHA-256/).fill(checkpoint);
    await axe(dev, 'developer: new case');
    await dev.getByRole('button', { name: 'Create case' }).click();
    await dev.getByRole('heading', { name: 'Assessment of tundra 2.0' }).waitFor();
    const caseId = /\/cases\/([^/]+)\/assessment/.exec(dev.url())![1]!;

    // A gated component without criteria: the server's message appears in that component's row.
    await dev.getByLabel('Release of model parameters').selectOption('gated');
    await dev.getByRole('button', { name: 'Save draft' }).click();
    const weightsRow = dev.getByRole('row', { name: /model parameters/ });
    await poll(() => weightsRow.locator('.field-errors').textContent({ timeout: 1000 }), /criteri/i);
    await weightsRow.getByLabel('institutional email').check();
    await dev.getByLabel('Approval of model parameters').selectOption('manual');
    await dev.getByLabel('Release of inference code').selectOption('open');
    await dev.getByLabel('Release of model card').selectOption('open');
    await dev.getByLabel('Summary: what the model is and does').fill('A 20B multilingual language model.');
    await dev.getByLabel('Intended use: who will use it and for what').fill('Academic research on chemistry assistants.');
    for (const [domain, label] of [['chem_bio', 'chem bio'], ['cyber', 'cyber'], ['autonomy', 'autonomy'], ['persuasion', 'persuasion']] as const) {
      await dev.getByLabel(`Tier (${label})`).selectOption(domain === 'chem_bio' ? 'high' : 'moderate');
      await dev.getByLabel(`Method (${label})`).fill(domain === 'chem_bio' ? 'red_team' : 'benchmark');
      await dev.getByLabel(`Summary of the evaluation (${label})`).fill(`${label} evaluation`);
    }
    await dev.getByLabel('Evidence file for chem bio').setInputFiles({ name: 'uplift-trial.csv', mimeType: 'text/csv', buffer: evidence });
    await dev.getByRole('button', { name: 'Upload evidence for chem bio' }).click();
    await poll(() => dev.getByTestId('evidence-sha256').first().textContent({ timeout: 1000 }), evidenceSha);
    await dev.getByRole('button', { name: 'Add a safeguard' }).click();
    await dev.getByLabel('Kind').fill('deployment');
    await dev.getByLabel('Residual risk').selectOption('moderate');
    await dev.getByLabel('Description').fill('institutional email check and manual access review');
    await dev.getByLabel('Reference model').fill('an already-open 13B model');
    await dev.getByLabel('Marginal risk analysis').fill('gating keeps uplift below the reference model');
    await dev.getByLabel('Rationale for this release decision').fill('Weights gated to verified academics; code and card open.');
    await dev.getByLabel(/Failure conditions/).fill('an uplift study showing meaningful chem-bio uplift');
    await dev.getByRole('button', { name: 'Save draft' }).click();
    await dev.getByText(/Draft saved at/).waitFor();
    await axe(dev, 'developer: assessment form');
    await shot(dev, 'assessment-form');

    await dev.getByRole('link', { name: 'Back to the case' }).first().click();
    await dev.getByRole('heading', { name: 'Timeline' }).waitFor();
    await expectOwnActions(dev, world.developer, caseId);
    await act(dev, 'Submit for intake');
    await expectState(dev, 'awaiting assignment');
    expect(await expectOwnActions(dev, world.developer, caseId)).not.toContain('ASSIGN_AUDITOR');
    await dev.getByTestId('chain-verification').getByText(/Hash chain verified/).waitFor();
    await axe(dev, 'developer: case page');

    // A developer of another organisation cannot open it.
    const other = await signIn(world.otherDeveloper);
    await other.goto(`${stack.baseUrl}/cases/${caseId}`);
    await other.getByRole('heading', { name: 'Case not found' }).waitFor();
    expect(await other.getByText('tundra').count()).toBe(0);
    await axe(other, 'other developer: case not found');

    // Regulator: the dashboard, then two auditors of distinct firms through the picker.
    const reg = await signIn(world.regulator);
    await reg.getByRole('heading', { name: 'Supervision dashboard' }).waitFor();
    await reg.getByRole('figure').filter({ hasText: 'Cases by state' }).locator('svg').waitFor();
    await axe(reg, 'regulator: dashboard');
    await shot(reg, 'regulator-dashboard');
    await reg.getByRole('link', { name: 'awaiting assignment' }).click();
    await reg.getByRole('link', { name: 'tundra 2.0' }).waitFor();
    await axe(reg, 'regulator: queue');
    await openCase(reg, caseId);
    await expectOwnActions(reg, world.regulator, caseId);
    await act(reg, 'Assign auditor', async () => {
      await chooseOption(reg, 'Auditor to assign', world.auditorA.id);
    });
    await reg.getByText(/auditor-a: assigned/).waitFor();
    await reg.getByRole('group', { name: 'Actions you may take' }).getByRole('button', { name: 'Assign auditor', exact: true }).click();
    const offered = await chooseOption(reg, 'Auditor to assign', world.auditorB.id);
    // auditor-a2 shares auditor-a's firm: the server would refuse, so the picker does not offer it.
    expect(offered).not.toContain(world.auditorA2.id);
    await axe(reg, 'regulator: assign auditor');
    await shot(reg, 'regulator-case');
    await reg.getByRole('button', { name: 'Confirm: Assign auditor' }).click();
    await expectState(reg, 'in audit');
    const regulatorActions = await expectOwnActions(reg, world.regulator, caseId);
    expect(regulatorActions).not.toContain('APPROVE');

    // Auditor A: assignments, a finding, then changes requested.
    const audA = await signIn(world.auditorA);
    await audA.getByRole('heading', { name: 'My assignments' }).waitFor();
    await audA.getByRole('link', { name: 'tundra 2.0' }).waitFor();
    await axe(audA, 'auditor: assignments');
    await shot(audA, 'auditor-assignments');
    await audA.getByRole('link', { name: 'tundra 2.0' }).click();
    await audA.getByRole('heading', { name: 'Timeline' }).waitFor();
    const auditorActions = await expectOwnActions(audA, world.auditorA, caseId);
    expect(auditorActions).toEqual(expect.arrayContaining(['APPROVE', 'REQUEST_CHANGES', 'FLAG']));
    expect(auditorActions).not.toContain('ASSIGN_AUDITOR');
    await audA.getByRole('button', { name: /^Download evidence/ }).click();
    await audA.getByText('✓ matches the server').waitFor();
    await audA.getByRole('cell', { name: evidenceSha }).waitFor();
    await act(audA, 'Add finding', async () => {
      await audA.getByLabel('Severity').selectOption('minor');
      await audA.getByLabel('Title', { exact: true }).fill('Red-team sample size');
      await audA.getByLabel('Detail', { exact: true }).fill('Explain how the 40 participants were chosen.');
    });
    await audA.getByRole('cell', { name: /Red-team sample size/ }).waitFor();
    await act(audA, 'Request changes', async () => {
      await audA.getByLabel('Changes needed').fill('Describe the participant selection in the rationale.');
    });
    await expectState(audA, 'changes requested');
    await axe(audA, 'auditor: review page');
    await shot(audA, 'auditor-review');

    // Developer: answers the finding, revises and resubmits.
    await openCase(dev, caseId);
    await expectState(dev, 'changes requested');
    await dev.getByText(/Describe the participant selection/).first().waitFor();
    await expectOwnActions(dev, world.developer, caseId);
    await act(dev, 'Respond to finding', async () => {
      await dev.getByLabel('Response', { exact: true }).fill('Participants were sampled from two universities; see the rationale.');
    });
    await dev.getByRole('link', { name: 'Edit the assessment' }).click();
    await dev.getByLabel('Rationale for this release decision').fill('Weights gated to verified academics; 40 participants sampled from two universities.');
    await dev.getByRole('button', { name: 'Save draft' }).click();
    await dev.getByText(/Draft saved at/).waitFor();
    await dev.getByRole('link', { name: 'Back to the case' }).first().click();
    await dev.getByRole('heading', { name: 'Timeline' }).waitFor();
    await act(dev, 'Resubmit');
    await expectState(dev, 'in audit');

    // Both auditors sign off; the second with a qualified opinion and a structured condition.
    await openCase(audA, caseId);
    await expectState(audA, 'in audit');
    await act(audA, 'Sign off');
    await audA.getByRole('cell', { name: /unmodified, reasonable assurance/ }).waitFor();
    const audB = await signIn(world.auditorB);
    await openCase(audB, caseId);
    await expectOwnActions(audB, world.auditorB, caseId);
    await act(audB, 'Sign off', async () => {
      await audB.getByLabel('Opinion', { exact: true }).selectOption('qualified');
      await audB.getByLabel(/^Basis/).fill('Access review must stay manual.');
      await audB.getByRole('button', { name: 'Add a condition' }).click();
      await audB.getByLabel('Text of condition 1').fill('weights stay gated with manual approval');
      await audB.getByLabel('Component of condition 1').selectOption('model_parameters');
      await audB.getByLabel('Most open release under condition 1').selectOption('gated');
    });
    await expectState(audB, 'regulator review');

    // Regulator clears; the developer records the release.
    await openCase(reg, caseId);
    await expectState(reg, 'regulator review');
    await expectOwnActions(reg, world.regulator, caseId);
    await act(reg, 'Clear', async () => {
      await reg.getByLabel('Note').fill('Two unqualified-or-qualified sign-offs from distinct firms; gating reviewed.');
    });
    await expectState(reg, 'cleared');

    await openCase(dev, caseId);
    await expectOwnActions(dev, world.developer, caseId);
    await act(dev, 'Record release', async () => {
      await dev.getByLabel('Location of model parameters').fill('https://models.example/tundra-2.0');
      await dev.getByLabel('Location of inference code').fill('https://code.example/tundra');
      await dev.getByLabel('Location of model card').fill('https://models.example/tundra-2.0/card');
    });
    await expectState(dev, 'released');
    await expectOwnActions(dev, world.developer, caseId);
    await dev.getByTestId('chain-verification').getByText(/Hash chain verified/).waitFor();
    await dev.locator('.statechart svg').waitFor();
    await axe(dev, 'developer: released case');
    await shot(dev, 'case-released');
    await dev.goto(stack.baseUrl);
    await dev.getByRole('link', { name: 'tundra 2.0' }).waitFor();
    await shot(dev, 'developer-cases');

    const released = expectOk(await world.regulator.http.get(`/v1/cases/${caseId}`));
    expect(released.state).toBe('released');
    expect(released.opinions).toHaveLength(2);

    // Lineage: a fine-tune of tundra shows on its case page, linked, and tundra is marked once flagged.
    const child = expectOk(await world.developer.http.post('/v1/cases', { model: { name: 'tundra-chat', version: '2.0', baseModels: [{ modelVersionId: released.model!.id, relation: 'finetune' }] } }));
    await openCase(reg, caseId);
    const lineage = reg.getByRole('list', { name: 'Lineage' });
    await lineage.getByRole('link', { name: 'tundra-chat 2.0' }).waitFor();
    expect(await lineage.getByRole('link', { name: 'tundra-chat 2.0' }).getAttribute('href')).toBe(`/cases/${child.id}`);
    expect(await lineage.getByTestId('lineage-flag').count()).toBe(0);
    expectOk(await world.regulator.http.post(`/v1/cases/${caseId}/events`, { type: 'REQUIRE_REASSESSMENT', reason: 'base data withdrawn' }));
    await openCase(reg, caseId);
    await lineage.getByTestId('lineage-node').filter({ hasText: 'tundra 2.0' }).getByTestId('lineage-flag').waitFor();
    await axe(reg, 'regulator: lineage');
    expect(cspViolations).toEqual([]);
  // One person walking four roles through a real browser: ~90 s on an idle 2-core machine, far more when it is shared.
  }, 300_000);

  it('serves the web app, Swagger UI, the queue dashboard and the API with security headers, and renders them under the CSP', async () => {
    const admin = { username: 'admin', password: currentTestEnvironment().adminToken };
    const context = await browser.newContext({ httpCredentials: admin });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
    const expectHardened = (where: string, headers: Record<string, string>) => {
      expect({ where, csp: headers['content-security-policy'] }).toEqual({ where, csp: expect.stringMatching(/frame-ancestors 'none'/) });
      expect({ where, csp: headers['content-security-policy'] }).toEqual({ where, csp: expect.stringMatching(/script-src 'self'(;|$)/) });
      expect({ where, nosniff: headers['x-content-type-options'], referrer: headers['referrer-policy'] }).toEqual({ where, nosniff: 'nosniff', referrer: 'no-referrer' });
    };

    const home = await page.goto(stack.baseUrl);
    expectHardened('/', home!.headers());
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    const docs = await page.goto(`${stack.baseUrl}/docs`);
    expectHardened('/docs', docs!.headers());
    await page.locator('.swagger-ui .opblock').first().waitFor();

    const dashboard = await page.goto(`${stack.baseUrl}/admin/queues`);
    expect(dashboard!.status()).toBe(200);
    expectHardened('/admin/queues', dashboard!.headers());
    await page.getByText('intake', { exact: true }).first().waitFor();

    const api = await context.request.get(`${stack.baseUrl}/v1/workflow`, { headers: { authorization: `Bearer ${world.developer.token}` } });
    expect(api.status()).toBe(200);
    expectHardened('/v1/workflow', api.headers());
    await context.close();
    // The dashboard's Google Fonts stylesheet is refused on purpose (no third party on an admin page): it falls back to system fonts.
    expect(violations.filter((v) => !v.includes('https://fonts.googleapis.com/'))).toEqual([]);
  });

  it('shows a regulator the verified operator log, and a user its own tokens, creating one shown once', async () => {
    const reg = await signIn(world.regulator);
    await reg.getByRole('link', { name: 'Operator log' }).click();
    await reg.getByRole('heading', { name: 'Operator log' }).waitFor();
    await reg.getByTestId('operator-log-verification').getByText(/Hash chain verified/).waitFor();
    await reg.getByRole('cell', { name: 'token issued' }).first().waitFor();
    await axe(reg, 'regulator: operator log');

    const dev = await signIn(world.developerColleague);
    await dev.getByRole('link', { name: 'Tokens' }).click();
    await dev.getByRole('heading', { name: 'Your tokens' }).waitFor();
    await dev.getByLabel('Label (optional)').fill('browser probe');
    await dev.getByRole('button', { name: 'Create token' }).click();
    const shown = (await dev.getByTestId('new-token').locator('code').textContent()) ?? '';
    expect(expectOk(await stack.http.as(shown).get('/v1/me')).id).toBe(world.developerColleague.id);
    await dev.getByRole('cell', { name: 'browser probe', exact: true }).waitFor();
    await axe(dev, 'developer: tokens');
    await dev.getByRole('button', { name: 'Revoke token browser probe' }).click();
    await poll(async () => String((await stack.http.as(shown).get('/v1/me')).status), '401');
  }, 60_000);
});
