import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MAX_INCIDENT_UPDATES } from '@app/cases';
import { expectProblem, waitForOk, type HttpClient, type OkBody, type Schemas } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { csvObjects, csvText } from './support/csv.js';
import { useSuite } from './support/suite.js';
import type { Member } from './support/world.js';

const CATEGORIES = ['critical_infrastructure', 'cybersecurity', 'death', 'serious_harm', 'other'] as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type IncidentQueueItem = Schemas['IncidentQueuePage']['items'][number];
/**
 * `/v1/queues/incidents` also matches the schema's `/v1/queues/{name}` template, so its items type
 * as either page's; an incident row is the one with an `incidentId`.
 */
const isIncidentRow = (item: OkBody<'/v1/queues/incidents'>['items'][number]): item is IncidentQueueItem => 'incidentId' in item;

/** Incidents after release (SPEC "Incidents"): clocks from the pack, history rows, the incident deadline and access. */
describe('incidents after release', () => {
  const suite = useSuite({ env: { DEADLINE_SWEEP_MS: '500' } });

  /** Publishes a copy of caip-2025@1 with an `incidents` section; returns its `id@version`. */
  const packWithIncidents = async (incidents: { report: Record<string, string>; finalReport: string }) => {
    const base = expectOk(await suite.world.developer.http.get('/v1/policy-packs/caip-2025/versions/1'), 'read caip-2025');
    const id = `incidents-${randomUUID().slice(0, 8)}`;
    expectOk(
      await suite.world.admin.post('/v1/admin/policy-packs', {
        id,
        version: '1',
        title: 'incident clocks for tests',
        domains: base.domains,
        cannotRuleOutCountsAs: base.cannotRuleOutCountsAs,
        tiers: base.tiers,
        deadlines: base.deadlines,
        incidents,
      }),
      'publish pack',
    );
    return `${id}@1`;
  };

  const clocks = (finalReport: string) => ({
    report: { critical_infrastructure: 'PT1H', cybersecurity: 'PT2H', death: 'PT3H', serious_harm: 'PT4H', other: 'PT5H' },
    finalReport,
  });

  const released = async (packRef?: string, developer: Member = suite.world.developer) => {
    const { driver, world } = suite;
    const caseId = await driver.create(developer, undefined, {}, packRef);
    await driver.fireOk(developer, caseId, 'SUBMIT');
    await driver.waitForState(caseId, ['awaiting_assignment']);
    await driver.fireOk(world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: world.auditorA.id });
    await driver.approve(world.auditorA, caseId);
    await driver.fireOk(developer, caseId, 'RECORD_RELEASE', {
      components: [{ component: 'inference_code', release: 'open', location: 'https://example.org/code' }],
    });
    return caseId;
  };

  const body = (category: string, awareAt = new Date(), extra: Record<string, unknown> = {}) => ({
    category,
    summary: `a ${category} incident`,
    occurredAt: new Date(awareAt.getTime() - HOUR).toISOString(),
    awareAt: awareAt.toISOString(),
    ...extra,
  });

  const report = (actor: Member, caseId: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    actor.http.post(`/v1/cases/${caseId}/incidents`, payload, headers);

  const reportOk = async (caseId: string, payload: Record<string, unknown>, actor: Member = suite.world.developer) => {
    const response = await report(actor, caseId, payload);
    expect(response.status).toBe(201);
    return expectOk(response, 'report incident');
  };

  const incident = (id: string, http: HttpClient = suite.world.regulator.http) => http.get(`/v1/incidents/${id}`);

  const expectChainValid = async (caseId: string) => {
    const verification = expectOk(await suite.world.regulator.http.get(`/v1/cases/${caseId}/history/verify`), 'verify');
    expect(verification).toMatchObject({ valid: true, firstBadSeq: null });
    return verification;
  };

  const lastHistory = async (caseId: string) => (await suite.driver.history(caseId)).at(-1);

  it('gives each category its report deadline from the pack, and records each report in the history', async () => {
    const caseId = await released(await packWithIncidents(clocks('PT6H')));
    const awareAt = new Date(Date.now() - 60_000);
    for (const [i, category] of CATEGORIES.entries()) {
      const before = expectOk(await suite.driver.get(suite.world.regulator.http, caseId));
      const created = await reportOk(caseId, body(category, awareAt));
      expect(created).toMatchObject({ caseId, category, status: 'open', reportedLate: false });
      expect(Date.parse(created.reportDueAt) - awareAt.getTime()).toBe((i + 1) * HOUR);
      expect(Date.parse(created.finalReportDueAt) - Date.parse(created.reportedAt)).toBe(6 * HOUR);
      const after = expectOk(await suite.driver.get(suite.world.regulator.http, caseId));
      expect(after.version).toBe(before.version + 1);
      expect(after.state).toBe('released');
      expect(await lastHistory(caseId)).toMatchObject({
        type: 'INCIDENT_REPORTED',
        fromState: 'released',
        toState: 'released',
        payload: { incidentId: created.id, category },
      });
      await expectChainValid(caseId);
    }
  });

  it('uses SPEC’s defaults without an incidents section (caip-2025@1)', async () => {
    const caseId = await released();
    const awareAt = new Date();
    const days = [2, 5, 10, 15, 15];
    for (const [i, category] of CATEGORIES.entries()) {
      const created = await reportOk(caseId, body(category, awareAt));
      expect(Date.parse(created.reportDueAt) - awareAt.getTime()).toBe(days[i]! * DAY);
      expect(Date.parse(created.finalReportDueAt) - Date.parse(created.reportedAt)).toBe(60 * DAY);
    }
    await expectChainValid(caseId);
  });

  it('marks a late report late and takes it; answers the case’s new ETag; honours Idempotency-Key', async () => {
    const caseId = await released();
    const lateBody = body('critical_infrastructure', new Date(Date.now() - 3 * DAY));
    const first = await report(suite.world.developer, caseId, lateBody, { 'Idempotency-Key': 'late-1' });
    expect(first.status).toBe(201);
    const firstBody = expectOk(first);
    expect(firstBody.reportedLate).toBe(true);
    const view = expectOk(await suite.driver.get(suite.world.regulator.http, caseId));
    expect(first.headers.get('etag')).toBe(`"${view.version}"`);
    const again = await report(suite.world.developer, caseId, lateBody, { 'Idempotency-Key': 'late-1' });
    expect(again.status).toBe(201);
    expect(expectOk(again).id).toBe(firstBody.id);
    expect((await suite.driver.history(caseId)).filter((i) => i.type === 'INCIDENT_REPORTED')).toHaveLength(1);
    const onTime = await reportOk(caseId, body('other', new Date(Date.now() - DAY)));
    expect(onTime.reportedLate).toBe(false);
    // The regulators hear of it; the reporting developer is not told of their own report.
    await waitForOk(
      () => suite.world.regulator.http.get('/v1/notifications?limit=200'),
      (page) => page.items.some((n) => n.caseId === caseId && n.eventType === 'INCIDENT_REPORTED'),
      { what: 'the regulators notified of the report' },
    );
    await waitForOk(
      () => suite.world.developerColleague.http.get('/v1/notifications?limit=200'),
      (page) => page.items.some((n) => n.caseId === caseId && n.eventType === 'INCIDENT_REPORTED'),
      { what: 'the developer organisation notified of the report' },
    );
  });

  it('escalates the final-report deadline like an audit’s, and a final update closes it', async () => {
    const caseId = await released(await packWithIncidents(clocks('PT1S')));
    const created = await reportOk(caseId, body('cybersecurity'));
    await expectChainValid(caseId);
    const escalated = await waitForOk(
      () => incident(created.id),
      (view) => view.finalReportDeadline?.escalatedAt !== null,
      { what: 'the final-report deadline escalated' },
    );
    expect(escalated.finalReportDeadline).toMatchObject({ kind: 'incident_final_report', closedAt: null });
    const passed = (await suite.driver.history(caseId)).filter((i) => i.type === 'DEADLINE_PASSED');
    expect(passed).toEqual([
      expect.objectContaining({
        actor: 'system',
        fromState: 'released',
        toState: 'released',
        payload: { deadlineId: escalated.finalReportDeadline?.id, incidentId: created.id },
      }),
    ]);
    await expectChainValid(caseId);
    const caseView = expectOk(await suite.driver.get(suite.world.regulator.http, caseId));
    expect(caseView.deadlines).toContainEqual(expect.objectContaining({ kind: 'incident_final_report', escalatedAt: expect.any(String) }));
    const overdue = () => suite.driver.overdueQueue();
    expect(await overdue()).toContain(caseId);
    await waitForOk(
      () => suite.world.regulator.http.get('/v1/notifications?limit=200'),
      (page) => page.items.some((n) => n.caseId === caseId && n.eventType === 'DEADLINE_PASSED'),
      { what: 'the regulators notified' },
    );

    const final = await suite.world.developer.http.post(`/v1/incidents/${created.id}/updates`, { text: 'root cause and fix', final: true });
    expect(final.status).toBe(201);
    const finalBody = expectOk(final);
    expect(finalBody.finalReportAt).toEqual(expect.any(String));
    expect(finalBody.finalReportDeadline?.closedAt).toEqual(expect.any(String));
    expect(finalBody.updates).toEqual([expect.objectContaining({ text: 'root cause and fix', final: true })]);
    expect(await lastHistory(caseId)).toMatchObject({ type: 'INCIDENT_UPDATED', payload: { incidentId: created.id, final: true } });
    await expectChainValid(caseId);
    expect(await overdue()).not.toContain(caseId);
    // Escalated once: the sweep never fires it again.
    expect((await suite.driver.history(caseId)).filter((i) => i.type === 'DEADLINE_PASSED')).toHaveLength(1);
  });

  it('escalates through the sweep when the delayed job is lost (the job is an hour away; the row is due now)', async () => {
    const caseId = await released(await packWithIncidents(clocks('PT1H')));
    const created = await reportOk(caseId, body('death'));
    // As if Redis had lost the job while the hour passed: only the sweep can fire it now.
    const owner = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await owner.connect();
    try {
      const moved = await owner.query(`UPDATE deadlines SET due_at = now() - interval '1 second' WHERE incident_id = $1`, [created.id]);
      expect(moved.rowCount).toBe(1);
    } finally {
      await owner.end();
    }
    const escalated = await waitForOk(
      () => incident(created.id),
      (view) => view.finalReportDeadline?.escalatedAt !== null,
      { what: 'the sweep escalated the incident deadline' },
    );
    expect(escalated.finalReportDeadline).toMatchObject({ kind: 'incident_final_report', escalatedAt: expect.any(String) });
    expect((await suite.driver.history(caseId)).filter((i) => i.type === 'DEADLINE_PASSED')).toEqual([
      expect.objectContaining({ payload: { deadlineId: escalated.finalReportDeadline?.id, incidentId: created.id } }),
    ]);
    await expectChainValid(caseId);
  });

  it('lets the regulator close an incident with a note; a closed incident takes no update', async () => {
    const caseId = await released();
    const created = await reportOk(caseId, body('serious_harm'));
    const update = await suite.world.developer.http.post(`/v1/incidents/${created.id}/updates`, { text: 'interim update' });
    expect(update.status).toBe(201);
    expect(expectOk(update).finalReportDeadline?.closedAt).toBeNull();
    const stale = await suite.world.regulator.http.post(`/v1/incidents/${created.id}/close`, { note: 'done' }, { 'If-Match': '"1"' });
    expect(expectProblem(stale, 409).type).toBe('/problems/version-conflict');
    const etag = (await incident(created.id)).headers.get('etag')!;
    const closed = await suite.world.regulator.http.post(`/v1/incidents/${created.id}/close`, { note: 'handled; monitoring continues' }, { 'If-Match': etag });
    expect(closed.status).toBe(200);
    const closedBody = expectOk(closed);
    expect(closedBody).toMatchObject({ status: 'closed', closeNote: 'handled; monitoring continues', closedBy: suite.world.regulator.id });
    expect(closedBody.finalReportDeadline?.closedAt).toEqual(expect.any(String));
    expect(Number(closed.headers.get('etag')!.replaceAll('"', ''))).toBe(Number(etag.replaceAll('"', '')) + 1);
    expect(await lastHistory(caseId)).toMatchObject({ type: 'INCIDENT_CLOSED', fromState: 'released', toState: 'released' });
    await expectChainValid(caseId);
    const late = await suite.world.developer.http.post(`/v1/incidents/${created.id}/updates`, { text: 'one more' });
    expect(expectProblem(late, 409).type).toBe('/problems/incident-closed');
    const open = expectOk(await suite.world.developer.http.get('/v1/incidents?status=open&limit=200')).items.map((i) => i.id);
    const closedList = expectOk(await suite.world.developer.http.get('/v1/incidents?status=closed&limit=200')).items.map((i) => i.id);
    expect(open).not.toContain(created.id);
    expect(closedList).toContain(created.id);
    const ofCase = expectOk(await suite.world.developer.http.get(`/v1/incidents?caseId=${caseId}`)).items;
    expect(ofCase.map((i) => i.id)).toEqual([created.id]);
    // The regulator may still act on the case: the events of the workflow are untouched.
    const reassess = await suite.driver.fireOk(suite.world.regulator, caseId, 'REQUIRE_REASSESSMENT', { reason: 'the incident shows a gap' });
    expect(reassess.state).toBe('reassessment_required');
    await expectChainValid(caseId);
  });

  it(`takes at most ${MAX_INCIDENT_UPDATES} updates, then only the first final report; a refused update changes nothing`, async () => {
    const caseId = await released();
    const created = await reportOk(caseId, body('other'));
    // All but two of the allowed updates, written directly: the bound is what is under test.
    const owner = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await owner.connect();
    try {
      await owner.query(
        `INSERT INTO incident_updates (incident_id, author_id, text, final, at)
         SELECT $1, $2, 'update ' || n, false, now() FROM generate_series(1, $3::int) AS n`,
        [created.id, suite.world.developer.id, MAX_INCIDENT_UPDATES - 2],
      );
    } finally {
      await owner.end();
    }
    const update = (text: string, final = false) => suite.world.developer.http.post(`/v1/incidents/${created.id}/updates`, { text, final });
    expect((await update('one before the bound')).status).toBe(201);
    // Five at once for the last place: counted one after the other, exactly one is taken.
    const racing = await Promise.all(Array.from({ length: 5 }, (_, i) => update(`racing ${i}`)));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const refused of racing.filter((r) => r.status === 409)) {
      const problem = expectProblem(refused, 409);
      expect(problem.type).toBe('/problems/too-many-incident-updates');
      expect(problem.detail).toBe(`an incident holds at most ${MAX_INCIDENT_UPDATES} updates; send the final report (final: true), which is always taken`);
    }
    const before = expectOk(await suite.driver.get(suite.world.regulator.http, caseId)).version;
    expect(expectProblem(await update('past the bound'), 409).type).toBe('/problems/too-many-incident-updates');
    expect(expectOk(await suite.driver.get(suite.world.regulator.http, caseId)).version).toBe(before);
    // The final report is a legal duty: taken past the bound, once.
    const final = await update('the final report', true);
    expect(final.status).toBe(201);
    expect(expectOk(final).finalReportDeadline?.closedAt).toEqual(expect.any(String));
    expect(expectProblem(await update('a second final report', true), 409).type).toBe('/problems/too-many-incident-updates');
    const view = expectOk(await incident(created.id));
    expect(view.updates).toHaveLength(MAX_INCIDENT_UPDATES + 1);
    expect(view.updates.at(-1)).toMatchObject({ text: 'the final report', final: true });
    expect((await suite.driver.history(caseId)).filter((i) => i.type === 'INCIDENT_UPDATED')).toHaveLength(3);
    await expectChainValid(caseId);
  });

  it('refuses a case never released with 409 not-released, and changes nothing', async () => {
    const caseId = await suite.driver.create();
    const before = expectOk(await suite.driver.get(suite.world.regulator.http, caseId));
    const refused = await report(suite.world.developer, caseId, body('other'));
    expect(expectProblem(refused, 409).type).toBe('/problems/not-released');
    expect(expectOk(await suite.driver.get(suite.world.regulator.http, caseId)).version).toBe(before.version);
  });

  it('keeps incidents to their case’s readers', async () => {
    const { world } = suite;
    const caseId = await released();
    const created = await reportOk(caseId, body('death'), world.regulator);
    expect(created.reportedBy).toBe(world.regulator.id);

    expect((await report(world.otherDeveloper, caseId, body('other'))).status).toBe(404);
    expect((await incident(created.id, world.otherDeveloper.http)).status).toBe(404);
    expect((await world.otherDeveloper.http.post(`/v1/incidents/${created.id}/updates`, { text: 'x' })).status).toBe(404);
    const theirs = expectOk(await world.otherDeveloper.http.get('/v1/incidents?limit=200')).items.map((i) => i.id);
    expect(theirs).not.toContain(created.id);
    expect((await incident(randomUUID(), world.developer.http)).status).toBe(404);
    expect((await incident('not-a-uuid', world.developer.http)).status).toBe(404);

    expect((await report(world.auditorA, caseId, body('other'))).status).toBe(403);
    expect((await incident(created.id, world.auditorA.http)).status).toBe(200);
    expect((await report(world.auditorB, caseId, body('other'))).status).toBe(403);
    expect((await incident(created.id, world.auditorB.http)).status).toBe(404);
    expect((await world.admin.post(`/v1/cases/${caseId}/incidents`, body('other'))).status).toBe(403);
    expect((await world.admin.get(`/v1/incidents/${created.id}`)).status).toBe(403);
    expect((await world.admin.get('/v1/incidents')).status).toBe(403);
    expect((await world.developer.http.post(`/v1/incidents/${created.id}/close`, { note: 'x' })).status).toBe(403);
    expect((await world.regulator.http.post(`/v1/incidents/${created.id}/updates`, { text: 'x' })).status).toBe(403);
    expect((await world.developer.http.get('/v1/queues/incidents')).status).toBe(403);

    const invalid = await report(world.developer, caseId, { category: 'weather', summary: '', occurredAt: 'yesterday', awareAt: new Date().toISOString(), extra: 1 });
    expect(expectProblem(invalid, 400).errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(['$.category', '$.summary', '$.occurredAt']),
    );
    await expectChainValid(caseId);
  });

  it('lists open incidents in the regulators’ queue, oldest due first', async () => {
    const later = await released(await packWithIncidents(clocks('PT10H')));
    const sooner = await released(await packWithIncidents(clocks('PT5H')));
    const a = await reportOk(later, body('other'));
    const b = await reportOk(sooner, body('other'));
    const queue = expectOk(await suite.world.regulator.http.get('/v1/queues/incidents?limit=200'));
    const rows = queue.items.filter(isIncidentRow);
    expect(rows).toHaveLength(queue.items.length);
    const ids = rows.map((i) => i.incidentId);
    expect(ids.indexOf(b.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(rows.find((i) => i.incidentId === a.id)).toEqual({
      incidentId: a.id,
      caseId: later,
      category: 'other',
      reportDueAt: a.reportDueAt,
      finalReportDueAt: a.finalReportDueAt,
    });
    const dues = rows.map((i) => Date.parse(i.finalReportDueAt));
    expect(dues).toEqual([...dues].sort((x, y) => x - y));
    const summary = expectOk(await suite.world.regulator.http.get('/v1/queues'));
    expect(summary).toContainEqual(expect.objectContaining({ name: 'incidents', count: rows.length, oldestAt: rows[0]?.finalReportDueAt }));

    // SPEC: every queue answers CSV when asked; this one with its own items' fields.
    const csv = await fetch(`${suite.stack.baseUrl}/v1/queues/incidents?limit=1`, {
      headers: { authorization: `Bearer ${suite.world.regulator.token}`, accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="queue-incidents-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csvObjects(await csvText(csv))).toEqual(rows);
  });
});
