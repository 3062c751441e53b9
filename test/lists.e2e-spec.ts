import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { expectProblem, highTierAssessment, waitForOk, type OkBody, type ResponseOf } from '@app/testing';
import { CaseQueryRepository, CaseRepository, EvidenceRepository, ModelVersionRepository, NotificationRepository, WebhookRepository, type CaseListFilter, type CaseListOrder, type Keyset } from '@app/persistence';
import { expectOk } from './support/case-driver.js';
import { plansOf, readWhole, scannedWhole } from './support/query-plans.js';
import { SPEC_NON_FINAL_STATES } from './support/spec-vocabulary.js';
import { useSuite } from './support/suite.js';

const NON_FINAL = SPEC_NON_FINAL_STATES;

type Page = OkBody<'/v1/cases'> | OkBody<'/v1/queues/{name}'>;

/** Follows nextCursor to the end; fails on a page over the limit. `read` gets the query (limit and cursor) to append. */
const pageThrough = async (read: (query: string) => Promise<ResponseOf<'/v1/cases', 'get'> | ResponseOf<'/v1/queues/{name}', 'get'>>, limit: number) => {
  const items: Page['items'] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = expectOk(await read(query), query);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { items, pages };
};

describe('lists: cases, queues, auditors and reference data', () => {
  const suite = useSuite();

  it('pages a developer’s cases newest first with limit=2, without duplicates, and only its own organisation’s', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push(await suite.driver.create());
    const foreign = await suite.driver.create(suite.world.otherDeveloper);

    const { items, pages } = await pageThrough((q) => suite.world.developer.http.get(`/v1/cases?${q}`), 2);
    const ids = items.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(created));
    expect(ids).not.toContain(foreign);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (const item of items) expect(item.developerOrganisationId).toBe(suite.world.developer.organisationId);
    const createdAt = items.map((c) => Date.parse(c.createdAt));
    expect([...createdAt].sort((a, b) => b - a)).toEqual(createdAt);
    // The five made here are the newest, in reverse order of creation.
    expect(ids.slice(0, 5)).toEqual([...created].reverse());
    expect(Object.keys(items[0]).sort()).toEqual(
      ['createdAt', 'developerOrganisationId', 'id', 'model', 'nextDeadline', 'revision', 'state', 'stateEnteredAt', 'tier', 'version'].sort(),
    );

    // Filters only narrow: another organisation's id yields nothing to this developer.
    const narrowed = expectOk(await suite.world.developer.http.get(`/v1/cases?developerOrganisationId=${suite.world.otherDeveloper.organisationId}`));
    expect(narrowed).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a cursor reused with other filters (400) and narrows by state and tier', async () => {
    const inAudit = await suite.driver.inAudit([suite.world.auditorA]);
    const draft = await suite.driver.create();
    const high = await suite.driver.create(suite.world.developer, highTierAssessment());
    await suite.driver.fireOk(suite.world.developer, high, 'SUBMIT');
    await suite.driver.waitForState(high, ['awaiting_assignment']);

    const first = expectOk(await suite.world.developer.http.get('/v1/cases?limit=1'));
    expect(first.nextCursor).toEqual(expect.any(String));
    const reused = await suite.world.developer.http.get(`/v1/cases?limit=1&state=draft&cursor=${encodeURIComponent(String(first.nextCursor))}`);
    expect(reused.status).toBe(400);
    expect(expectProblem(reused, 400).type).toBe('/problems/validation');
    expect((await suite.world.developer.http.get('/v1/cases?cursor=not-a-cursor')).status).toBe(400);
    // The same query with another page size keeps its cursor.
    expect((await suite.world.developer.http.get(`/v1/cases?limit=3&cursor=${encodeURIComponent(String(first.nextCursor))}`)).status).toBe(200);

    const inState = async (query: string) => (await pageThrough((q) => suite.world.regulator.http.get(`/v1/cases?${query}&developerOrganisationId=${suite.world.developer.organisationId}&${q}`), 200)).items;
    const audits = await inState('state=in_audit');
    expect(audits.map((c) => c.id)).toContain(inAudit);
    expect(audits.every((c) => c.state === 'in_audit')).toBe(true);
    const drafts = await inState('state=draft');
    expect(drafts.map((c) => c.id)).toContain(draft);
    expect(drafts.map((c) => c.id)).not.toContain(inAudit);
    const highs = await inState('tier=high');
    expect(highs.map((c) => c.id)).toEqual([high]);
    expect((await inState('tier=low')).map((c) => c.id)).toContain(inAudit);
    expect(await inState('tier=high&state=draft')).toEqual([]);

    // Auditors list only cases they are or were assigned to.
    const auditorCases = (await pageThrough((q) => suite.world.auditorA.http.get(`/v1/cases?${q}`), 200)).items.map((c) => c.id);
    expect(auditorCases).toContain(inAudit);
    expect(auditorCases).not.toContain(draft);
    expect((await pageThrough((q) => suite.world.auditorC.http.get(`/v1/cases?${q}`), 200)).items).toEqual([]);
  });

  it('pages sort=deadline soonest first, cases without an open deadline last', async () => {
    const inAudit = await suite.driver.inAudit([suite.world.auditorA]);
    const drafts = [await suite.driver.create(), await suite.driver.create(), await suite.driver.create()];
    const changes = await suite.driver.inAudit([suite.world.auditorA]);
    await suite.driver.fireOk(suite.world.auditorA, changes, 'REQUEST_CHANGES', { summary: 'more' });
    const { items } = await pageThrough((q) => suite.world.developer.http.get(`/v1/cases?sort=deadline&${q}`), 2);
    const ids = items.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([inAudit, changes, ...drafts]));
    const dues = items.map((c) => (c.nextDeadline === null ? Infinity : Date.parse(c.nextDeadline)));
    expect([...dues].sort((a, b) => a - b)).toEqual(dues);
    // The audit deadline (P20D) falls before changes_response (P30D); drafts have none.
    expect(ids.indexOf(inAudit)).toBeLessThan(ids.indexOf(changes));
    for (const draft of drafts) expect(ids.indexOf(draft)).toBeGreaterThan(ids.indexOf(changes));
  });

  it('summarises the queues as a bare array: every non-final state plus overdue and incidents', async () => {
    await suite.driver.inAudit([suite.world.auditorA]);
    const queues = expectOk(await suite.world.regulator.http.get('/v1/queues'));
    expect(Array.isArray(queues)).toBe(true);
    expect(queues.map((q) => q.name)).toEqual([...NON_FINAL, 'overdue', 'incidents']);
    for (const queue of queues) {
      expect(Object.keys(queue).sort()).toEqual(['count', 'name', 'oldestAt']);
      expect(queue.count).toEqual(expect.any(Number));
      if (queue.count === 0 && queue.name !== 'overdue') expect(queue.oldestAt).toBeNull();
    }
    const inAudit = queues.find((q) => q.name === 'in_audit');
    expect(inAudit?.count).toBeGreaterThanOrEqual(1);
    expect(inAudit?.oldestAt).toMatch(/Z$/);
    expect((await suite.world.regulator.http.get('/v1/queues/withdrawn')).status).toBe(404);
    expect((await suite.world.regulator.http.get('/v1/queues/nonsense')).status).toBe(404);
  });

  it('lists a queue oldest first by the time its cases entered the state', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await suite.driver.create();
      await suite.driver.fireOk(suite.world.developer, id, 'SUBMIT');
      await suite.driver.waitForState(id, ['awaiting_assignment']);
      ids.push(id);
    }
    const { items } = await pageThrough((q) => suite.world.regulator.http.get(`/v1/queues/awaiting_assignment?${q}`), 2);
    expect(items.every((c) => c.state === 'awaiting_assignment')).toBe(true);
    const entered = items.map((c) => Date.parse(c.stateEnteredAt));
    expect([...entered].sort((a, b) => a - b)).toEqual(entered);
    const mine = items.map((c) => c.id).filter((id) => ids.includes(id));
    expect(mine).toEqual(ids);
    const summary = expectOk(await suite.world.regulator.http.get('/v1/queues')).find((q) => q.name === 'awaiting_assignment');
    expect(summary?.count).toBe(items.length);
    expect(summary?.oldestAt).toBe(items[0].stateEnteredAt);
  });

  it('tells the regulator which auditors ASSIGN_AUDITOR would accept for a case, and why not', async () => {
    // High tier needs two firms; auditor A is assigned, so the case waits for a second.
    const caseId = await suite.driver.create(suite.world.developer, highTierAssessment());
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    await suite.driver.waitForState(caseId, ['awaiting_assignment']);
    await suite.driver.fireOk(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorA.id });
    expectOk(
      await suite.world.admin.post('/v1/admin/conflicts', {
        auditFirmId: suite.world.auditorC.organisationId,
        developerOrganisationId: suite.world.developer.organisationId,
        kind: 'financial',
      }),
      'conflict',
    );

    const listed = expectOk(await suite.world.regulator.http.get(`/v1/auditors?caseId=${caseId}`));
    const byId = new Map(listed.items.map((a) => [a.id, a]));
    const rules = (id: string) => byId.get(id)?.reasons?.map((r) => r.rule);
    expect(byId.get(suite.world.auditorB.id)).toMatchObject({ assignable: true, reasons: [] });
    expect(byId.get(suite.world.auditorA2.id)!.assignable).toBe(false);
    expect(rules(suite.world.auditorA2.id)).toEqual(['distinct-firm']);
    expect(byId.get(suite.world.auditorC.id)!.assignable).toBe(false);
    expect(rules(suite.world.auditorC.id)).toEqual(['auditor-independent']);
    expect(rules(suite.world.auditorA.id)).toContain('not-already-assigned');
    for (const reason of byId.get(suite.world.auditorC.id)?.reasons ?? []) expect(reason.message).toEqual(expect.any(String));

    // The list agrees with the event itself.
    const refused = await suite.driver.fire(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorC.id });
    expect(refused.status).toBe(422);
    expect(expectProblem(refused, 422).reasons?.map((r) => r.rule)).toEqual(['auditor-independent']);
    expect((await suite.driver.fireOk(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorB.id })).state).toBe('in_audit');

    expect((await suite.world.developer.http.get(`/v1/auditors?caseId=${caseId}`)).status).toBe(403);
    expect((await suite.world.regulator.http.get(`/v1/auditors?caseId=${randomUUID()}`)).status).toBe(404);
  });

  it('describes the workflow, the policy packs, health and the OpenAPI document', async () => {
    const workflow = expectOk(await suite.world.auditorA.http.get('/v1/workflow'));
    expect(workflow.states).toEqual(expect.arrayContaining([...NON_FINAL, 'withdrawn', 'lapsed', 'expired', 'revoked']));
    expect(workflow.states).toHaveLength(15);
    expect(workflow.events).toHaveLength(25);
    expect(workflow.mermaid).toMatch(/^stateDiagram-v2/m);
    expect(workflow.mermaid).toMatch(/in_audit\s*-->\s*regulator_review/);

    const packs = expectOk(await suite.world.developer.http.get('/v1/policy-packs'));
    expect(packs.items.map((p: { id: string; version: string }) => `${p.id}@${p.version}`)).toContain('caip-2025@1');
    const pack = expectOk(await suite.world.developer.http.get('/v1/policy-packs/caip-2025/versions/1'));
    expect(pack).toMatchObject({
      id: 'caip-2025',
      version: '1',
      domains: ['chem_bio', 'cyber', 'autonomy', 'persuasion'],
      cannotRuleOutCountsAs: 'critical',
      tiers: {
        low: { maxWeightsRelease: 'open', signOffs: 1, regulatorReview: false },
        moderate: { maxWeightsRelease: 'open', signOffs: 1, regulatorReview: false },
        high: { maxWeightsRelease: 'gated', signOffs: 2, regulatorReview: true },
        critical: { maxWeightsRelease: 'internal', signOffs: 2, regulatorReview: true },
      },
      deadlines: {
        assignment: 'P5D',
        audit: 'P20D',
        review: 'P20D',
        info_response: 'P10D',
        changes_response: 'P30D',
        clearance_validity: 'P90D',
        reassessment: 'P180D',
      },
    });
    expect((await suite.world.developer.http.get('/v1/policy-packs/caip-2025/versions/99')).status).toBe(404);

    const health = await suite.stack.http.get('/health');
    expect(health.status).toBe(200);
    const docs = expectOk(await suite.stack.http.offSchema('GET', '/docs-json')) as { openapi: string; paths: Record<string, unknown> };
    expect(docs.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/v1/cases', '/v1/cases/{id}/events', '/v1/queues']));
  });

  it('escalates an overdue assignment into the overdue queue (a pack with a one-second deadline)', async () => {
    const packRef = await suite.driver.publishPack({ assignment: 'PT1S' });
    const created = expectOk(await suite.driver.get(suite.world.developer.http, await suite.driver.create(undefined, highTierAssessment(), {}, packRef)));
    expect(created.policyPack).toBe(packRef);
    await suite.driver.fireOk(suite.world.developer, created.id, 'SUBMIT');
    await suite.driver.waitForState(created.id, ['awaiting_assignment']);

    const view = await waitForOk(
      () => suite.driver.get(suite.world.regulator.http, created.id),
      (body) => body.deadlines[0]?.escalatedAt != null,
      { timeoutMs: 10_000, what: 'the assignment deadline to escalate' },
    );
    expect(view.state).toBe('awaiting_assignment');
    expect(view.deadlines).toEqual([expect.objectContaining({ kind: 'assignment', escalatedAt: expect.any(String) })]);
    const history = await suite.driver.history(created.id);
    expect(history.map((h) => h.type)).toEqual(['SUBMIT', 'INTAKE_PASSED', 'DEADLINE_PASSED']);
    expect(history[2]).toMatchObject({ actor: 'system', fromState: 'awaiting_assignment', toState: 'awaiting_assignment' });

    const overdue = (await pageThrough((q) => suite.world.regulator.http.get(`/v1/queues/overdue?${q}`), 200)).items.map((c) => c.id);
    expect(overdue).toContain(created.id);
    const overdueList = (await pageThrough((q) => suite.world.regulator.http.get(`/v1/cases?overdue=true&developerOrganisationId=${suite.world.developer.organisationId}&${q}`), 200)).items;
    expect(overdueList.map((c) => c.id)).toEqual([created.id]);
    const notOverdue = (async () =>
      (await pageThrough((q) => suite.world.regulator.http.get(`/v1/cases?overdue=false&developerOrganisationId=${suite.world.developer.organisationId}&${q}`), 200)).items.map((c) => c.id));
    expect(await notOverdue()).not.toContain(created.id);

    // Leaving the state closes the deadline and the case leaves the overdue queue.
    await suite.driver.fireOk(suite.world.regulator, created.id, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorA.id });
    await suite.driver.fireOk(suite.world.regulator, created.id, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorB.id });
    expect((await pageThrough((q) => suite.world.regulator.http.get(`/v1/queues/overdue?${q}`), 200)).items.map((c) => c.id)).not.toContain(created.id);
    expect(await notOverdue()).toContain(created.id);
    // The auditor's own list, filtered the same way: the case is theirs and no longer overdue.
    const auditorOverdue = (await pageThrough((q) => suite.world.auditorA.http.get(`/v1/cases?overdue=true&${q}`), 200)).items.map((c) => c.id);
    expect(auditorOverdue).not.toContain(created.id);
    expect((await pageThrough((q) => suite.world.auditorA.http.get(`/v1/cases?overdue=false&${q}`), 200)).items.map((c) => c.id)).toContain(created.id);
  });

  // Lists and lookups that must not read or sort a whole table at scale (their indexes are in migrations).
  describe('query plans', () => {
    const ID = '00000000-0000-0000-0000-000000000001';

    it("pages the admin's webhook deliveries in creation order by an index, with and without a status, first page and after", async () => {
      const webhooks = suite.stack.api.get(WebhookRepository);
      const after: [string, string] = [new Date().toISOString(), ID];
      for (const status of [undefined, 'dead'])
        for (const cursor of [null, after]) {
          const [plan] = await plansOf(suite.stack, (db) => webhooks.listDeliveries(status, cursor, 51, db));
          expect(plan!.filter((n) => n['Relation Name'] === 'webhook_deliveries').map((n) => n['Node Type'])).toEqual([expect.stringMatching(/Index/)]);
          expect(plan!.map((n) => n['Node Type'])).not.toContain('Sort');
        }
    });

    it("pages a user's inbox by an index, all or unread only, first page and after: unread ones without walking past read ones", async () => {
      const notifications = suite.stack.api.get(NotificationRepository);
      const after: [string, string] = [new Date().toISOString(), ID];
      for (const unreadOnly of [false, true])
        for (const cursor of [null, after]) {
          const [plan] = await plansOf(suite.stack, (db) => notifications.page(ID, cursor, 51, unreadOnly, db));
          const reads = plan!.filter((n) => n['Relation Name'] === 'notifications');
          expect(reads.map((n) => n['Index Name'])).toEqual([unreadOnly ? 'notifications_unread_idx' : 'notifications_inbox_idx']);
          expect(reads[0]!['Index Cond']).toMatch(/user_id/);
          expect(plan!.map((n) => n['Node Type'])).not.toContain('Sort');
        }
    });

    it("finds model versions and their cases by index: the lineage walks, an import's lookups, intake's ancestry, a flag's reassessment", async () => {
      const models = suite.stack.api.get(ModelVersionRepository);
      const cases = suite.stack.api.get(CaseRepository);
      // Sorting a model version's few cases or records is right; only reading a table whole is not.
      const lookups = await plansOf(suite.stack, async (db) => {
        await models.descendantsAtAnyDepth(ID, db);
        await models.ancestorsWithState(ID, db);
        await models.withChecksumOrName(['a'.repeat(64)], ['model'], db);
        await cases.casesOfModelVersions([ID], ['cleared', 'released'], db);
      }, { sorts: true });
      expect(lookups).toHaveLength(4);
      for (const plan of lookups) expect(readWhole(plan)).toEqual([]);
      // The lineage's newest record per node may walk the registry's newest-first index up to its
      // LIMIT 1 on a small table, by the planner's choice: only a sequential scan is refused there.
      const [lineage] = await plansOf(suite.stack, (db) => models.lineage(ID, 1000, db), { sorts: true });
      expect(scannedWhole(lineage!)).toEqual([]);
    });

    it("counts an upload's case and organisation evidence by index, not by reading either table whole", async () => {
      const evidence = suite.stack.api.get(EvidenceRepository);
      const input = { caseId: ID, organisationId: ID, sha256: 'ab'.repeat(32), mediaType: 'text/plain', filename: null, content: Buffer.alloc(1), uploadedBy: ID };
      // Explained, the insert answers no row, which the repository cannot read as a result.
      const plans = await plansOf(suite.stack, (db) => evidence.insertWithinQuota(input, { maxCaseBytes: 1, maxOrganisationBytes: 1 }, db).catch(() => null), { sorts: true });
      expect(plans).toHaveLength(2);
      expect(readWhole(plans[1]!)).toEqual([]);
      // The organisation's cases by its index: an index scan, or a bitmap scan whose index node holds the condition.
      expect(plans[1]!.filter((n) => /developer_organisation_id/.test(n['Index Cond'] ?? '')).map((n) => n['Index Name'])).toEqual(['cases_org_created_idx']);
    });

    it('reads every case list and queue, each filter and each reader, by index', async () => {
      const lists = suite.stack.api.get(CaseQueryRepository);
      const scopes: CaseListFilter['scope'][] = [{ kind: 'all' }, { kind: 'organisation', organisationId: ID }, { kind: 'auditor', auditorId: ID }];
      const filters: Array<Omit<CaseListFilter, 'scope'>> = [
        {},
        { states: ['in_audit'] },
        { states: ['draft', 'changes_requested'] },
        { tier: 'high' },
        { developerOrganisationId: ID },
        { overdue: true },
        { overdue: false },
        { tier: 'high', overdue: true },
      ];
      const orders: CaseListOrder[] = ['created', 'deadline', 'state_entered', 'overdue'];
      const after: Keyset = [new Date().toISOString(), ID];
      for (const scope of scopes)
        for (const filter of filters)
          for (const order of orders)
            for (const cursor of [null, after]) {
              const plans = await plansOf(suite.stack, (db) => lists.list({ scope, ...filter }, order, cursor, 51, db));
              for (const plan of plans) expect({ scope, filter, order, cursor, scanned: scannedWhole(plan) }).toEqual({ scope, filter, order, cursor, scanned: [] });
            }
    });
  });
});
