import { describe, expect, it } from '@jest/globals';
import { adminSeeder, highTierAssessment, waitForOk, expectProblem } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { SPEC_DEADLINE_KINDS, SPEC_RELEASE_LEVELS, SPEC_STATES } from './support/spec-vocabulary.js';
import { useSuite } from './support/suite.js';

const STATES = SPEC_STATES;
const DEADLINE_KINDS = SPEC_DEADLINE_KINDS;
const RELEASE_LEVELS = SPEC_RELEASE_LEVELS;

interface Durations {
  state: string;
  stays: number;
  medianSeconds: number;
  p90Seconds: number;
}
interface ByOrganisation extends Durations {
  developerOrganisationId: string;
  developerOrganisationName: string;
}
interface ByRelease extends Durations {
  release: string;
}
interface Stats {
  from: string | null;
  to: string;
  casesByState: Array<{ state: string; count: number }>;
  timeInState: { byDeveloperOrganisation: ByOrganisation[]; byWeightsRelease: ByRelease[] };
  deadlineBreaches: Array<{ kind: string; count: number; stillOpen: number }>;
}

const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

describe('GET /v1/stats: the regulator dashboard', () => {
  const suite = useSuite();

  const stats = async (query = ''): Promise<Stats> => expectOk(await suite.world.regulator.http.get(`/v1/stats?${query.replace(/^\?/, '')}`), `stats${query}`);
  const count = (s: Stats, state: string) => s.casesByState.find((r) => r.state === state)!.count;
  const ofOrganisation = (s: Stats, organisationId: string) =>
    s.timeInState.byDeveloperOrganisation.filter((r) => r.developerOrganisationId === organisationId);

  it('counts cases by current state, every state listed, and only those created before `to`', async () => {
    const before = await stats();
    expect(before.casesByState.map((r) => r.state)).toEqual(STATES);
    expect(before.from).toBeNull();
    expect(before.to).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const first = await suite.driver.create();
    await suite.driver.create();
    await suite.driver.inAudit([suite.world.auditorA]);
    const after = await stats();
    expect(count(after, 'draft') - count(before, 'draft')).toBe(2);
    expect(count(after, 'in_audit') - count(before, 'in_audit')).toBe(1);
    expect(after.casesByState.reduce((n, r) => n + r.count, 0) - before.casesByState.reduce((n, r) => n + r.count, 0)).toBe(3);

    // `to` at the first case's creation leaves out the three cases made here (created at or after it).
    const { createdAt } = expectOk(await suite.driver.get(suite.world.regulator.http, first));
    const bounded = await stats(`?to=${encodeURIComponent(createdAt)}`);
    expect(bounded.to).toBe(createdAt);
    expect(bounded.casesByState.reduce((n, r) => n + r.count, 0)).toBe(before.casesByState.reduce((n, r) => n + r.count, 0));
  });

  it('reports time in state by developer organisation and by weights release: grouped, non-negative, median ≤ p90', async () => {
    // Two drafts of the other organisation: one without components (weights withheld), one open.
    await suite.driver.create(suite.world.otherDeveloper, { summary: 'no components yet' });
    await suite.driver.create(suite.world.otherDeveloper);
    const audited = await suite.driver.inAudit([suite.world.auditorA]);
    await suite.driver.fireOk(suite.world.auditorA, audited, 'REQUEST_INFO', { question: 'which red team?' });
    await suite.driver.fireOk(suite.world.developer, audited, 'PROVIDE_INFO', { answer: 'ours' });

    const s = await stats();
    const all = [...s.timeInState.byDeveloperOrganisation, ...s.timeInState.byWeightsRelease];
    expect(all.length).toBeGreaterThan(0);
    for (const row of all) {
      expect(row.stays).toBeGreaterThanOrEqual(1);
      expect(row.medianSeconds).toBeGreaterThanOrEqual(0);
      expect(row.p90Seconds).toBeGreaterThanOrEqual(row.medianSeconds);
      // Final states never end, so they are not measured.
      expect(['withdrawn', 'lapsed', 'expired', 'revoked']).not.toContain(row.state);
    }
    for (const row of s.timeInState.byDeveloperOrganisation)
      expect(Object.keys(row).sort()).toEqual(['developerOrganisationId', 'developerOrganisationName', 'medianSeconds', 'p90Seconds', 'state', 'stays']);
    for (const row of s.timeInState.byWeightsRelease) {
      expect(Object.keys(row).sort()).toEqual(['medianSeconds', 'p90Seconds', 'release', 'state', 'stays']);
      expect(RELEASE_LEVELS).toContain(row.release);
    }

    // The other organisation has exactly its two drafts, named.
    expect(ofOrganisation(s, suite.world.otherDeveloper.organisationId)).toEqual([
      expect.objectContaining({ state: 'draft', developerOrganisationName: expect.stringMatching(/^Other Labs /), stays: 2 }),
    ]);
    // The developer's case went through intake and assignment into the audit, and in_audit twice (around info_requested).
    const mine = new Map(ofOrganisation(s, suite.world.developer.organisationId).map((r) => [r.state, r]));
    for (const state of ['draft', 'intake', 'awaiting_assignment', 'in_audit', 'info_requested']) expect(mine.get(state)).toBeDefined();
    expect(mine.get('info_requested')!.stays).toBeGreaterThanOrEqual(1);
    // Weights: withheld (no components listed) and open (the low-tier assessment) both appear for drafts.
    const draftReleases = s.timeInState.byWeightsRelease.filter((r) => r.state === 'draft').map((r) => r.release);
    expect(draftReleases).toEqual(expect.arrayContaining(['withheld', 'open']));
    expect(new Set(draftReleases).size).toBe(draftReleases.length);
  });

  it('filters time in state by the window: stays must overlap [from, to)', async () => {
    // A fresh organisation, so that no other test's cases fall in its windows.
    const seeder = adminSeeder(suite.world.admin);
    const lab = await seeder.member(await seeder.organisation('Window Labs', 'developer'), 'developer', 'window-dev');
    const created = await suite.driver.create(lab);
    const view = expectOk(await suite.driver.get(suite.world.regulator.http, created));
    const now = (await stats()).to;

    // After now: no stay has begun and open stays end now, so nothing overlaps.
    const future = await stats(`?from=${encodeURIComponent(plusMs(now, 3_600_000))}&to=${encodeURIComponent(plusMs(now, 7_200_000))}`);
    expect(future.timeInState.byDeveloperOrganisation).toEqual([]);
    expect(future.timeInState.byWeightsRelease).toEqual([]);
    // Before this organisation's first case: none of its stays.
    const early = await stats(`?to=${encodeURIComponent(plusMs(view.createdAt, -60_000))}`);
    expect(ofOrganisation(early, lab.organisationId)).toEqual([]);
    // A window around the new draft's creation holds it.
    const around = await stats(`?from=${encodeURIComponent(view.createdAt)}&to=${encodeURIComponent(plusMs(view.createdAt, 1))}`);
    expect(ofOrganisation(around, lab.organisationId)).toEqual([expect.objectContaining({ state: 'draft', stays: 1 })]);
    expect(around.from).toBe(view.createdAt);
  });

  it('counts a deadline breached in the window by kind, still open until its state is left', async () => {
    const packRef = await suite.driver.publishPack({ assignment: 'PT1S' }, 'a one-second assignment deadline');
    const created = { id: await suite.driver.create(undefined, highTierAssessment(), {}, packRef) };
    await suite.driver.fireOk(suite.world.developer, created.id, 'SUBMIT');
    await suite.driver.waitForState(created.id, ['awaiting_assignment']);
    const escalated = await waitForOk(
      () => suite.driver.get(suite.world.regulator.http, created.id),
      (body) => body.deadlines[0]?.escalatedAt != null,
      { timeoutMs: 10_000, what: 'the assignment deadline to escalate' },
    );
    const dueAt = escalated.deadlines[0]!.dueAt;
    const window = `?from=${encodeURIComponent(dueAt)}&to=${encodeURIComponent(plusMs(dueAt, 1))}`;
    const breaches = (s: Stats) => Object.fromEntries(s.deadlineBreaches.map((b) => [b.kind, b]));

    const open = await stats(window);
    expect(open.deadlineBreaches.map((b) => b.kind)).toEqual(DEADLINE_KINDS);
    expect(breaches(open).assignment).toEqual({ kind: 'assignment', count: 1, stillOpen: 1 });
    // A window that ends at the due time leaves it out.
    expect(breaches(await stats(`?to=${encodeURIComponent(dueAt)}&from=${encodeURIComponent(plusMs(dueAt, -1))}`)).assignment.count).toBe(0);

    await suite.driver.fireOk(suite.world.regulator, created.id, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorA.id });
    await suite.driver.fireOk(suite.world.regulator, created.id, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorB.id });
    expect(breaches(await stats(window)).assignment).toEqual({ kind: 'assignment', count: 1, stillOpen: 0 });
  });

  it('is the regulator’s alone (403 for developers, auditors and admins) and validates its bounds (400)', async () => {
    for (const http of [suite.world.developer.http, suite.world.auditorA.http, suite.world.admin]) {
      const refused = await http.get('/v1/stats');
      expect(refused.status).toBe(403);
      expect(expectProblem(refused, 403).type).toBe('/problems/forbidden');
    }
    expect((await suite.stack.http.get('/v1/stats')).status).toBe(401);

    for (const query of ['?from=yesterday', '?from=2025-01-01', '?to=2025-13-01T00:00:00Z', '?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z', '?since=2025-01-01T00:00:00Z']) {
      const bad = await suite.world.regulator.http.get(`/v1/stats?${query.slice(1)}`);
      expect(bad.status).toBe(400);
      expect(expectProblem(bad, 400).type).toBe('/problems/validation');
      expect(expectProblem(bad, 400).errors?.length).toBeGreaterThan(0);
    }
    const bad = await suite.world.regulator.http.get('/v1/stats?from=yesterday');
    expect(expectProblem(bad, 400).errors?.[0].path).toMatch(/from/);
    // An offset other than Z is accepted and normalised to UTC.
    expect((await stats('?from=2025-01-01T02:00:00%2B02:00')).from).toBe('2025-01-01T00:00:00.000Z');
  });
});
