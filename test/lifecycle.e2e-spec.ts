import { beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { QueryRunner } from 'typeorm';
import { highTierAssessment, lowTierAssessment, sha256Of, expectProblem } from '@app/testing';
import { MAX_FINDINGS_PER_CASE } from '@app/workflow';
import { FindingCount1765180000000 } from '../migrations/1765180000000-FindingCount.js';
import { expectOk, type CaseView } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

const RFC3339_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('lifecycle: every path of the workflow over HTTP', () => {
  const suite = useSuite();

  const types = (items: Array<{ type: string }>) => items.map((i) => i.type);

  it('takes a low-tier case to released with one sign-off', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const inAudit = expectOk(await suite.driver.get(suite.world.auditorA.http, caseId));
    expect(inAudit.tier).toBe('low');
    expect(inAudit.allowedEvents).toEqual(expect.arrayContaining(['APPROVE', 'ADD_FINDING', 'REQUEST_INFO', 'REQUEST_CHANGES', 'FLAG']));

    const cleared = await suite.driver.approve(suite.world.auditorA, caseId);
    expect(cleared.state).toBe('cleared');
    expect(cleared.opinions).toEqual([
      expect.objectContaining({ auditorId: suite.world.auditorA.id, revisionHash: inAudit.revisionHash, kind: 'unmodified' }),
    ]);
    expect(cleared.deadlines.map((d: { kind: string }) => d.kind)).toEqual(['clearance_validity']);

    const released = await suite.driver.fireOk(suite.world.developer, caseId, 'RECORD_RELEASE', {
      components: [
        { component: 'model_parameters', release: 'open', location: 'https://example.org/weights', sha256: sha256Of('weights') },
        { component: 'inference_code', release: 'open', location: 'https://example.org/code' },
      ],
    });
    expect(released.state).toBe('released');
    expect(released.releasedAt).toMatch(RFC3339_MS);
    expect(released.deadlines.map((d: { kind: string }) => d.kind)).toEqual(['reassessment']);
    expect(types(await suite.driver.history(caseId))).toEqual(['SUBMIT', 'INTAKE_PASSED', 'ASSIGN_AUDITOR', 'APPROVE', 'RECORD_RELEASE']);
  });

  it('takes a high-tier case through two firms, regulator review and a gated release; refuses a release more open than cleared', async () => {
    const caseId = await suite.driver.create(suite.world.developer, highTierAssessment());
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    const awaiting = await suite.driver.waitForState(caseId, ['awaiting_assignment']);
    expect(awaiting.tier).toBe('high');

    const firstAssigned = await suite.driver.fireOk(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorA.id });
    expect(firstAssigned.state).toBe('awaiting_assignment');
    const sameFirm = await suite.driver.fire(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorA2.id });
    expect(sameFirm.status).toBe(422);
    expect(expectProblem(sameFirm, 422).reasons?.map((r) => r.rule)).toEqual(['distinct-firm']);
    const inAudit = await suite.driver.fireOk(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorB.id });
    expect(inAudit.state).toBe('in_audit');
    expect(inAudit.assignments.map((a: { auditorId: string }) => a.auditorId).sort()).toEqual([suite.world.auditorA.id, suite.world.auditorB.id].sort());

    expect((await suite.driver.approve(suite.world.auditorA, caseId)).state).toBe('in_audit');
    const again = await suite.driver.fire(suite.world.auditorA, caseId, 'APPROVE', {
      revisionHash: inAudit.revisionHash,
      opinion: 'unmodified',
      assurance: 'reasonable',
      conditions: [],
    });
    expect(again.status).toBe(422);
    expect(expectProblem(again, 422).reasons?.map((r) => r.rule)).toEqual(['signs-once']);

    const review = await suite.driver.approve(suite.world.auditorB, caseId, {
      opinion: 'qualified',
      basis: 'the gating review must stay manual',
      conditions: [{ text: 'code stays behind the API', component: 'inference_code', maxRelease: 'api' }],
    });
    expect(review.state).toBe('regulator_review');
    expect(review.deadlines.map((d: { kind: string }) => d.kind)).toEqual(['review']);

    const cleared = await suite.driver.fireOk(suite.world.regulator, caseId, 'CLEAR', { note: 'two independent sign-offs' });
    expect(cleared.state).toBe('cleared');

    const tooOpen = await suite.driver.fire(suite.world.developer, caseId, 'RECORD_RELEASE', {
      components: [
        { component: 'model_parameters', release: 'open', location: 'https://example.org/weights', sha256: sha256Of('weights') },
        { component: 'inference_code', release: 'open', location: 'https://example.org/code' },
      ],
    });
    expect(tooOpen.status).toBe(422);
    expect(tooOpen.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(tooOpen.body).toMatchObject({ type: '/problems/guard-failed', status: 422, state: 'cleared' });
    const messages = expectProblem(tooOpen, 422).reasons?.map((r) => r.message).join('\n');
    expect(expectProblem(tooOpen, 422).reasons?.length).toBeGreaterThanOrEqual(2);
    expect(messages).toMatch(/model_parameters/);
    expect(messages).toMatch(/inference_code/);
    for (const reason of expectProblem(tooOpen, 422).reasons ?? []) expect(reason).toEqual({ rule: expect.any(String), message: expect.any(String) });
    expect(tooOpen.body.allowedEvents).toContain('RECORD_RELEASE');

    const weakerGating = await suite.driver.fire(suite.world.developer, caseId, 'RECORD_RELEASE', {
      components: [
        {
          component: 'model_parameters',
          release: 'gated',
          location: 'https://example.org/weights',
          sha256: sha256Of('weights'),
          gating: { criteria: ['kyc'], approval: 'automatic' },
        },
      ],
    });
    expect(weakerGating.status).toBe(422);
    expect(expectProblem(weakerGating, 422).type).toBe('/problems/guard-failed');

    const released = await suite.driver.fireOk(suite.world.developer, caseId, 'RECORD_RELEASE', {
      components: [
        {
          component: 'model_parameters',
          release: 'gated',
          location: 'https://example.org/weights',
          sha256: sha256Of('weights'),
          gating: { criteria: ['institutional_email'], approval: 'manual' },
        },
        { component: 'inference_code', release: 'api', location: 'https://api.example.org' },
      ],
    });
    expect(released.state).toBe('released');
    expect(released.releasedAt).toMatch(RFC3339_MS);
  });

  it('requests changes, refuses an unchanged resubmission, and returns to the same auditor after a changed one', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const before = expectOk(await suite.driver.get(suite.world.developer.http, caseId));
    const changes = await suite.driver.fireOk(suite.world.auditorA, caseId, 'REQUEST_CHANGES', { summary: 'explain the marginal risk' });
    expect(changes.state).toBe('changes_requested');
    expect(changes.deadlines.map((d: { kind: string }) => d.kind)).toEqual(['changes_response']);

    const unchanged = await suite.driver.fire(suite.world.developer, caseId, 'RESUBMIT');
    expect(unchanged.status).toBe(422);
    expect(unchanged.body).toMatchObject({ type: '/problems/guard-failed', state: 'changes_requested' });
    expect(expectProblem(unchanged, 422).reasons?.map((r) => r.rule)).toEqual(['revision-changed']);

    const edited = lowTierAssessment({
      marginalRisk: { referenceModel: 'an already-open 8B model', analysis: 'benchmarks within 1% of the reference model' },
    });
    expectOk(await suite.world.developer.http.put(`/v1/cases/${caseId}/assessment`, edited), 'edit');
    const resubmitted = await suite.driver.fireOk(suite.world.developer, caseId, 'RESUBMIT');
    expect(resubmitted.state).toBe('intake');
    expect(resubmitted.revision).toBe(2);
    expect(resubmitted.revisionHash).not.toBe(before.revisionHash);

    const back = await suite.driver.waitForState(caseId, ['in_audit', 'awaiting_assignment', 'changes_requested']);
    expect(back.state).toBe('in_audit');
    expect(back.assignments.filter((a: { unassignedAt: string | null }) => a.unassignedAt === null).map((a: { auditorId: string }) => a.auditorId)).toEqual([
      suite.world.auditorA.id,
    ]);
    expect(types(await suite.driver.history(caseId)).slice(-3)).toEqual(['REQUEST_CHANGES', 'RESUBMIT', 'INTAKE_PASSED']);
    // The sign-off is sealed to revision 2.
    expect((await suite.driver.approve(suite.world.auditorA, caseId)).state).toBe('cleared');
  });

  it('returns a flag the regulator clears to in_audit without sign-offs, and to cleared with them', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const flagged = await suite.driver.fireOk(suite.world.auditorA, caseId, 'FLAG', { reason: 'possible uplift in cyber' });
    expect(flagged.state).toBe('regulator_review');
    expect(flagged.deadlines.map((d: { kind: string }) => d.kind)).toEqual(['review']);
    const back = await suite.driver.fireOk(suite.world.regulator, caseId, 'CLEAR', { note: 'no uplift found' });
    expect(back.state).toBe('in_audit');
    expect(back.deadlines.map((d: { kind: string }) => d.kind)).toEqual(['audit']);

    expect((await suite.driver.approve(suite.world.auditorA, caseId)).state).toBe('cleared');
    expect((await suite.driver.fireOk(suite.world.regulator, caseId, 'FLAG', { reason: 'press reports' })).state).toBe('regulator_review');
    expect((await suite.driver.fireOk(suite.world.regulator, caseId, 'CLEAR', { note: 'reports unfounded' })).state).toBe('cleared');

    // An auditor's adverse flag replaces their sign-off, so clearing it sends the case back to audit.
    const adverse = await suite.driver.fireOk(suite.world.auditorA, caseId, 'FLAG', {
      reason: 'the red-team trial was too small',
      opinion: 'adverse',
      assurance: 'reasonable',
    });
    expect(adverse.state).toBe('regulator_review');
    expect(adverse.opinions.map((o: { kind: string }) => o.kind)).toEqual(['adverse']);
    expect((await suite.driver.fireOk(suite.world.regulator, caseId, 'CLEAR', { note: 'audit again' })).state).toBe('in_audit');
  });

  it('holds a flagged case, and AMEND returns it to draft pre-filled from the last revision', async () => {
    const assessment = lowTierAssessment({ rationale: 'held-case rationale' });
    const caseId = await suite.driver.inAudit([suite.world.auditorA], assessment);
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'FLAG', { reason: 'undisclosed capability' });
    const held = await suite.driver.fireOk(suite.world.regulator, caseId, 'HOLD', { reason: 'pending investigation' });
    expect(held.state).toBe('held');
    expect(held.deadlines).toEqual([]);
    expect(expectOk(await suite.driver.get(suite.world.developer.http, caseId)).allowedEvents).toEqual(expect.arrayContaining(['AMEND']));

    const amended = await suite.driver.fireOk(suite.world.developer, caseId, 'AMEND');
    expect(amended.state).toBe('draft');
    expect(amended.assessment).toEqual(assessment);
    expect(amended.revision).toBe(1);
  });

  it('withdraws a case; a withdrawn case accepts nothing', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const withdrawn = await suite.driver.fireOk(suite.world.developer, caseId, 'WITHDRAW', { reason: 'superseded by 1.1' });
    expect(withdrawn.state).toBe('withdrawn');
    expect(withdrawn.allowedEvents).toEqual([]);
    expect(withdrawn.deadlines).toEqual([]);
    const versionBefore = withdrawn.version;

    for (const [actor, type, payload] of [
      [suite.world.developer, 'WITHDRAW', {}],
      [suite.world.developer, 'AMEND', {}],
      [suite.world.auditorA, 'ADD_FINDING', { severity: 'minor', title: 't', detail: 'd' }],
      [suite.world.regulator, 'REVOKE', { reason: 'r' }],
    ] as const) {
      const response = await suite.driver.fire(actor, caseId, type, payload);
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ type: '/problems/invalid-transition', state: 'withdrawn', allowedEvents: [] });
    }
    // A refusal changes nothing; auditor A still reads the case it was assigned to.
    expect(expectOk(await suite.driver.get(suite.world.auditorA.http, caseId)).version).toBe(versionBefore);
  });

  it('opens a new case for a model version whose case is final, keeping its recorded checkpoint', async () => {
    const model = { name: `reopened-${Date.now()}`, version: '2.0', checkpointSha256: 'a'.repeat(64) };
    const first = expectOk(await suite.world.developer.http.post('/v1/cases', { model }));
    expect(expectProblem(await suite.world.developer.http.post('/v1/cases', { model }), 409).type).toBe('/problems/case-exists');
    await suite.driver.fireOk(suite.world.developer, first.id, 'WITHDRAW', {});

    const other = await suite.world.developer.http.post('/v1/cases', { model: { ...model, checkpointSha256: 'b'.repeat(64) } });
    expect(other.status).toBe(400);
    expect(expectProblem(other, 400).errors).toEqual([{ path: '$.model.checkpointSha256', message: expect.any(String) }]);
    const second = await suite.world.developer.http.post('/v1/cases', { model });
    expect(second.status).toBe(201);
    expect(expectOk(second).model).toEqual(first.model);
    expect(expectOk(await suite.driver.get(suite.world.developer.http, first.id)).model?.checkpointSha256).toBe('a'.repeat(64));
  });

  it('fails intake with reasons naming the component and the domain, and returns the case to draft', async () => {
    const assessment = lowTierAssessment({
      components: [
        { component: 'model_parameters', release: 'open' },
        { component: 'inference_code', release: 'open' },
      ],
      evaluations: [
        { domain: 'chem_bio', method: 'red_team', tier: 'high', summary: 'uplift trial', evidenceIds: [] },
        { domain: 'cyber', method: 'benchmark', tier: 'low', summary: 'ctf benchmark', evidenceIds: [] },
        { domain: 'autonomy', method: 'benchmark', tier: 'low', summary: 'agentic tasks', evidenceIds: [] },
      ],
    });
    const caseId = await suite.driver.create(suite.world.developer, assessment);
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    const draft = await suite.driver.waitForState(caseId, ['draft']);
    expect(draft.revision).toBe(1);
    expect(draft.deadlines).toEqual([]);

    const history = await suite.driver.history(caseId, suite.world.developer.http);
    expect(types(history)).toEqual(['SUBMIT', 'INTAKE_FAILED']);
    const failed = history[1];
    expect(failed).toMatchObject({ actor: 'system', fromState: 'intake', toState: 'draft', payload: { revision: 1 } });
    // The history payload is open in the schema; each reason's shape is asserted just below.
    const reasons = failed?.payload.reasons as Array<{ rule: string; path: string; message: string }>;
    for (const reason of reasons) expect(reason).toEqual({ rule: expect.any(String), path: expect.any(String), message: expect.any(String) });
    expect(reasons.some((r) => /persuasion/.test(r.message))).toBe(true);
    expect(reasons.some((r) => /model_parameters/.test(r.message) && /gated/.test(r.message) && /high/.test(r.message))).toBe(true);
    expect(expectOk(await suite.driver.get(suite.world.developer.http, caseId)).allowedEvents).toEqual(expect.arrayContaining(['SUBMIT', 'WITHDRAW']));
  });

  it('pauses the audit deadline while information is requested and resumes it with the time it had left', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const audit = (view: CaseView) => view.deadlines.find((d) => d.kind === 'audit')!;
    const before = audit(expectOk(await suite.driver.get(suite.world.regulator.http, caseId)));
    expect(before).toMatchObject({ pausedAt: null, escalatedAt: null });

    const asked = await suite.driver.fireOk(suite.world.auditorA, caseId, 'REQUEST_INFO', { question: 'which reference model?' });
    expect(asked.state).toBe('info_requested');
    const paused = audit(asked);
    expect(paused.id).toBe(before.id);
    expect(paused.pausedAt).toMatch(RFC3339_MS);
    expect(paused.dueAt).toBe(before.dueAt);
    expect(asked.deadlines.map((d: { kind: string }) => d.kind).sort()).toEqual(['audit', 'info_response']);
    expect(expectOk(await suite.driver.get(suite.world.developer.http, caseId)).allowedEvents).toContain('PROVIDE_INFO');

    const answered = await suite.driver.fireOk(suite.world.developer, caseId, 'PROVIDE_INFO', { answer: 'the 8B open model' });
    expect(answered.state).toBe('in_audit');
    const resumed = audit(answered);
    expect(resumed.id).toBe(before.id);
    expect(resumed.pausedAt).toBeNull();
    expect(answered.deadlines.map((d: { kind: string }) => d.kind)).toEqual(['audit']);
    // dueAt = now + (dueAt − pausedAt): pushed back by exactly the paused time.
    const history = await suite.driver.history(caseId);
    const pausedFor = Date.parse(history.at(-1)!.at) - Date.parse(history.at(-2)!.at);
    expect(Date.parse(resumed.dueAt) - Date.parse(before.dueAt)).toBe(pausedFor);
  });

  it('closes both audit deadlines when a case with an open information request is flagged', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'REQUEST_INFO', { question: 'q' });
    const flagged = await suite.driver.fireOk(suite.world.regulator, caseId, 'FLAG', { reason: 'a complaint arrived' });
    expect(flagged.state).toBe('regulator_review');
    expect(flagged.deadlines.map((d: { kind: string }) => d.kind)).toEqual(['review']);
    const back = await suite.driver.fireOk(suite.world.regulator, caseId, 'CLEAR', { note: 'unfounded' });
    expect(back.state).toBe('in_audit');
    expect(back.deadlines).toEqual([expect.objectContaining({ kind: 'audit', pausedAt: null })]);
  });

  it('blocks APPROVE on a major finding until the developer responds and the auditor resolves it', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const withFinding = await suite.driver.fireOk(suite.world.auditorA, caseId, 'ADD_FINDING', {
      severity: 'major',
      title: 'missing safeguard evaluation',
      detail: 'no test of the refusal filter after fine-tuning',
      component: 'model_parameters',
      domain: 'cyber',
    });
    expect(withFinding.state).toBe('in_audit');
    const finding = withFinding.findings[0];
    expect(finding).toMatchObject({ severity: 'major', status: 'open', raisedBy: suite.world.auditorA.id, revision: 1, component: 'model_parameters' });
    expect(withFinding.allowedEvents).not.toContain('APPROVE');

    const blocked = await suite.driver.fire(suite.world.auditorA, caseId, 'APPROVE', {
      revisionHash: withFinding.revisionHash,
      opinion: 'unmodified',
      assurance: 'reasonable',
      conditions: [],
    });
    expect(blocked.status).toBe(422);
    expect(blocked.body).toMatchObject({ type: '/problems/guard-failed', state: 'in_audit' });
    expect(expectProblem(blocked, 422).reasons?.map((r) => r.rule)).toEqual(['no-blocking-findings']);

    const notRaiser = await suite.driver.fire(suite.world.developer, caseId, 'RESOLVE_FINDING', { findingId: finding.id, note: 'done' });
    expect(notRaiser.status).toBe(403);

    const responded = await suite.driver.fireOk(suite.world.developer, caseId, 'RESPOND_FINDING', { findingId: finding.id, response: 'added the evaluation' });
    expect(responded.findings[0]).toMatchObject({ status: 'responded', response: 'added the evaluation' });
    const stillBlocked = await suite.driver.fire(suite.world.auditorA, caseId, 'APPROVE', {
      revisionHash: withFinding.revisionHash,
      opinion: 'unmodified',
      assurance: 'reasonable',
      conditions: [],
    });
    expect(stillBlocked.status).toBe(422);

    const resolved = await suite.driver.fireOk(suite.world.auditorA, caseId, 'RESOLVE_FINDING', { findingId: finding.id, note: 'evaluation is adequate' });
    expect(resolved.findings[0].status).toBe('resolved');
    expect(resolved.allowedEvents).toContain('APPROVE');
    expect((await suite.driver.approve(suite.world.auditorA, caseId)).state).toBe('cleared');
  });

  it(`holds ${MAX_FINDINGS_PER_CASE} findings on a case, refuses the next by name and changes nothing; its report is still drawn`, async () => {
    const { driver, world } = suite;
    const caseId = await driver.inAudit([world.auditorA]);
    const raise = (n: number) =>
      driver.fire(world.auditorA, caseId, 'ADD_FINDING', { severity: n % 2 ? 'info' : 'minor', title: `finding ${n}`, detail: `observed in run ${n}` });
    for (let n = 1; n < MAX_FINDINGS_PER_CASE; n++) expect((await raise(n)).status).toBe(200);
    // Resolved findings count: they are still listed and reported.
    const first = expectOk(await driver.get(world.auditorA.http, caseId)).findings[0];
    await driver.fireOk(world.auditorA, caseId, 'RESOLVE_FINDING', { findingId: first.id, note: 'fixed' });

    const full = expectOk(await raise(MAX_FINDINGS_PER_CASE));
    expect(full.findings).toHaveLength(MAX_FINDINGS_PER_CASE);
    expect(full.allowedEvents).not.toContain('ADD_FINDING');
    expect(full.allowedEvents).toContain('RESOLVE_FINDING');

    const refused = expectProblem(await raise(MAX_FINDINGS_PER_CASE + 1), 422);
    expect(refused.reasons).toEqual([{ rule: 'findings-within-limit', message: `the case already holds ${MAX_FINDINGS_PER_CASE} findings, the most a case holds` }]);
    const after = expectOk(await driver.get(world.auditorA.http, caseId));
    expect(after.version).toBe(full.version);
    expect(after.findings).toHaveLength(MAX_FINDINGS_PER_CASE);

    const report = await fetch(`${suite.stack.baseUrl}/v1/cases/${caseId}/report.pdf`, { headers: { authorization: `Bearer ${world.auditorA.token}` } });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toBe('application/pdf');

    // A case whose findings predate the count gets it from the findings table when migrated.
    await driver.create(world.developer, lowTierAssessment());
    const db = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await db.connect();
    try {
      const recorded = await db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'ADD_FINDING'`, [caseId]);
      expect(recorded.rows).toEqual([{ n: MAX_FINDINGS_PER_CASE }]);
      await db.query(`UPDATE cases SET context = context - 'findingCount' WHERE id = $1`, [caseId]);
      const runner = { query: async (sql: string) => (await db.query(sql)).rows } as unknown as QueryRunner;
      await new FindingCount1765180000000().up(runner);
      const { rows } = await db.query(`SELECT context->'findingCount' AS n FROM cases WHERE id = $1`, [caseId]);
      expect(rows).toEqual([{ n: MAX_FINDINGS_PER_CASE }]);
      // Cases without findings are not rewritten: their absent count reads as 0.
      const untouched = await db.query(
        `SELECT count(*)::int AS n FROM cases c WHERE c.context ? 'findingCount' AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.case_id = c.id)`,
      );
      expect(untouched.rows).toEqual([{ n: 0 }]);
    } finally {
      await db.end();
    }
    expect(expectProblem(await raise(MAX_FINDINGS_PER_CASE + 1), 422).reasons?.map((r) => r.rule)).toEqual(['findings-within-limit']);
  });

  it('answers 409 stale-revision to an APPROVE sealed to another revision hash, and changes nothing', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const before = expectOk(await suite.driver.get(suite.world.auditorA.http, caseId));
    const stale = await suite.driver.fire(suite.world.auditorA, caseId, 'APPROVE', {
      revisionHash: sha256Of('another revision'),
      opinion: 'unmodified',
      assurance: 'reasonable',
      conditions: [],
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ type: '/problems/stale-revision', status: 409, state: 'in_audit' });
    expect(stale.body.allowedEvents).toContain('APPROVE');
    const after = expectOk(await suite.driver.get(suite.world.auditorA.http, caseId));
    expect(after.version).toBe(before.version);
    expect(after.opinions).toEqual([]);
  });

  describe('worker-driven endings', () => {
    let packRef: string;

    beforeAll(async () => {
      // A pack whose information-response and clearance deadlines pass within a second.
      packRef = await suite.driver.publishPack({ info_response: 'PT1S', clearance_validity: 'PT1S' }, 'one-second deadlines');
    });

    const quickCase = async () => {
      const caseId = await suite.driver.create(undefined, undefined, {}, packRef);
      await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
      await suite.driver.waitForState(caseId, ['awaiting_assignment']);
      await suite.driver.fireOk(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorA.id });
      return caseId;
    };

    it('lapses a case whose information request goes unanswered', async () => {
      const caseId = await quickCase();
      await suite.driver.fireOk(suite.world.auditorA, caseId, 'REQUEST_INFO', { question: 'anyone there?' });
      const lapsed = await suite.driver.waitForState(caseId, ['lapsed']);
      expect(lapsed.deadlines).toEqual([]);
      const last = (await suite.driver.history(caseId)).at(-1);
      expect(last).toMatchObject({ type: 'DEADLINE_PASSED', actor: 'system', fromState: 'info_requested', toState: 'lapsed' });
      expect(expectOk(await suite.driver.get(suite.world.developer.http, caseId)).allowedEvents).toEqual([]);
    });

    it('expires a clearance that is not released in time', async () => {
      const caseId = await quickCase();
      await suite.driver.approve(suite.world.auditorA, caseId);
      const expired = await suite.driver.waitForState(caseId, ['expired']);
      expect(expired.deadlines).toEqual([]);
      expect((await suite.driver.history(caseId)).at(-1)).toMatchObject({ type: 'DEADLINE_PASSED', fromState: 'cleared', toState: 'expired' });
      const late = await suite.driver.fire(suite.world.developer, caseId, 'RECORD_RELEASE', {
        components: [{ component: 'inference_code', release: 'open', location: 'https://example.org/code' }],
      });
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ type: '/problems/invalid-transition', state: 'expired', allowedEvents: [] });
    });
  });

  it('sends a released descendant to reassessment when its base model is sent there, and refuses intake of a held ancestor', async () => {
    const parentId = await suite.driver.inAudit([suite.world.auditorA]);
    await suite.driver.approve(suite.world.auditorA, parentId);
    await suite.driver.fireOk(suite.world.developer, parentId, 'RECORD_RELEASE', {
      components: [{ component: 'model_card', release: 'open', location: 'https://example.org/card' }],
    });
    const parent = expectOk(await suite.driver.get(suite.world.developer.http, parentId));

    const childId = await suite.driver.create(suite.world.developer, lowTierAssessment(), { baseModels: [{ modelVersionId: parent.model!.id }] });
    await suite.driver.fireOk(suite.world.developer, childId, 'SUBMIT');
    await suite.driver.waitForState(childId, ['awaiting_assignment']);
    await suite.driver.fireOk(suite.world.regulator, childId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorB.id });
    await suite.driver.approve(suite.world.auditorB, childId);
    await suite.driver.fireOk(suite.world.developer, childId, 'RECORD_RELEASE', {
      components: [{ component: 'model_card', release: 'open', location: 'https://example.org/child-card' }],
    });

    await suite.driver.fireOk(suite.world.regulator, parentId, 'REQUIRE_REASSESSMENT', { reason: 'new jailbreak technique' });
    const child = await suite.driver.waitForState(childId, ['reassessment_required']);
    expect(child.releasedAt).not.toBeNull();
    expect((await suite.driver.history(childId)).at(-1)).toMatchObject({
      type: 'BASE_MODEL_FLAGGED',
      actor: 'system',
      fromState: 'released',
      toState: 'reassessment_required',
      payload: { modelVersionId: parent.model!.id },
    });
    // Once released, a case is never withdrawn.
    const withdraw = await suite.driver.fire(suite.world.developer, childId, 'WITHDRAW');
    expect(withdraw.status).toBe(422);
    expect(expectProblem(withdraw, 422).reasons?.map((r) => r.rule)).toEqual(['never-released']);

    // A new case built on a model version whose case is held fails intake, naming the ancestor.
    const heldId = await suite.driver.inAudit([suite.world.auditorA]);
    await suite.driver.fireOk(suite.world.regulator, heldId, 'FLAG', { reason: 'investigation' });
    await suite.driver.fireOk(suite.world.regulator, heldId, 'HOLD', { reason: 'investigation' });
    const held = expectOk(await suite.driver.get(suite.world.developer.http, heldId));
    const grandchild = await suite.driver.create(suite.world.developer, lowTierAssessment(), { baseModels: [{ modelVersionId: held.model!.id }] });
    await suite.driver.fireOk(suite.world.developer, grandchild, 'SUBMIT');
    await suite.driver.waitForState(grandchild, ['draft']);
    const failed = (await suite.driver.history(grandchild)).at(-1);
    expect(failed?.type).toBe('INTAKE_FAILED');
    expect(JSON.stringify(failed?.payload.reasons)).toMatch(/held|revoked/);
  });
});
