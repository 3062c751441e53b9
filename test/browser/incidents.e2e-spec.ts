import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expectOk } from '@app/testing';
import { CaseDriver } from '../support/case-driver.js';
import { startStack, type TestStack } from '../support/stack.js';
import { createWorld, type Member, type World } from '../support/world.js';

const WEB_INDEX = resolve(process.cwd(), 'apps/web/dist/index.html');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('web app: an incident reported on a released case, queued and closed', () => {
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

  const signIn = async (member: Member): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(stack.baseUrl);
    await page.getByLabel('API token').fill(member.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  };

  const axe = async (page: Page, where: string) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
    expect({ where, violations: bad }).toEqual({ where, violations: [] });
  };

  it('lets the developer report from the case page and the regulator close it from the incidents queue', async () => {
    const caseId = await driver.create();
    await driver.fireOk(world.developer, caseId, 'SUBMIT');
    await driver.waitForState(caseId, ['awaiting_assignment']);
    await driver.fireOk(world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: world.auditorA.id });
    await driver.approve(world.auditorA, caseId);
    await driver.fireOk(world.developer, caseId, 'RECORD_RELEASE', {
      components: [{ component: 'inference_code', release: 'open', location: 'https://example.org/code' }],
    });

    const developer = await signIn(world.developer);
    await developer.goto(`${stack.baseUrl}/cases/${caseId}`);
    await developer.getByRole('heading', { name: 'Incidents' }).waitFor();
    await developer.getByRole('button', { name: 'Report an incident' }).click();
    await developer.getByLabel('Category').selectOption({ value: 'cybersecurity' });
    await developer.getByLabel('Summary').fill('prompt injection exfiltrated credentials');
    await axe(developer, 'report an incident');
    await developer.getByRole('button', { name: 'Confirm: report the incident' }).click();
    await developer.getByRole('link', { name: 'cybersecurity' }).click();
    await developer.getByRole('heading', { name: 'Incident: cybersecurity' }).waitFor();
    expect(await developer.getByTestId('incident-status').textContent()).toBe('open');
    await axe(developer, 'incident page');

    const [incident] = expectOk(await world.regulator.http.get(`/v1/incidents?caseId=${caseId}`)).items;
    const regulator = await signIn(world.regulator);
    await regulator.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    await regulator.getByRole('heading', { name: 'Queue: incidents' }).waitFor();
    await regulator.locator(`a[href="/incidents/${incident.id}"]`).click();
    await regulator.getByLabel('Note').fill('contained; credentials rotated');
    await regulator.getByRole('button', { name: 'Close with this note' }).click();
    // A closed incident offers no more actions.
    await regulator.getByRole('heading', { name: 'Act on this incident' }).waitFor({ state: 'detached' });
    expect(await regulator.getByTestId('incident-status').textContent()).toBe('closed');
    expect(expectOk(await world.regulator.http.get(`/v1/incidents/${incident.id}`)).status).toBe('closed');
    // A case carried to release and two browser sessions: about 20 s alone, more beside another suite.
  }, 120_000);
});
