import { describe, expect, it } from '@jest/globals';
import { adminSeeder } from '@app/testing';
import { StatsRepository, type StatsRows, type StatsWindow } from '@app/persistence';
import { FINAL_STATES } from '@app/workflow';
import { expectOk } from './support/case-driver.js';
import type { Member } from './support/world.js';
import { useSuite } from './support/suite.js';

/**
 * The refreshed statistics summaries read time in state from stays kept incrementally
 * (case_stays, case_stay_marks) instead of the whole history: the answer must be the one
 * computed from the history, after the first catch-up and after each later one.
 */
describe('statistics from the incrementally kept stays', () => {
  const suite = useSuite();

  const dayAgo = () => new Date(Date.now() - 86_400_000).toISOString();

  /**
   * Both answers for the organisations given (other suites write to the same database meanwhile). Open
   * stays end at each statement's now, so their durations may differ by the time between the two reads.
   */
  const compare = async (window: StatsWindow, organisations: string[]) => {
    const repo = suite.stack.api.get(StatsRepository);
    const started = Date.now();
    const fromStays = await repo.summaryFromStays(window, FINAL_STATES);
    const fromHistory = await repo.summary(window, FINAL_STATES);
    const slackSeconds = (Date.now() - started) / 1000 + 0.01;
    const rows = (r: StatsRows) =>
      r.timeInState
        .filter((row) => row.developerOrganisationId !== null && organisations.includes(row.developerOrganisationId))
        .sort((a, b) => `${a.developerOrganisationId}${a.state}`.localeCompare(`${b.developerOrganisationId}${b.state}`));
    const expected = rows(fromHistory);
    const actual = rows(fromStays);
    expect(actual.map(({ state, developerOrganisationId, stays }) => ({ state, developerOrganisationId, stays }))).toEqual(
      expected.map(({ state, developerOrganisationId, stays }) => ({ state, developerOrganisationId, stays })),
    );
    actual.forEach((row, i) => {
      expect(Math.abs(row.medianSeconds - expected[i]!.medianSeconds)).toBeLessThanOrEqual(slackSeconds);
      expect(Math.abs(row.p90Seconds - expected[i]!.p90Seconds)).toBeLessThanOrEqual(slackSeconds);
    });
    return { actual, caughtUp: fromStays.caughtUp };
  };

  const lab = async (name: string): Promise<Member> => {
    const seeder = adminSeeder(suite.world.admin);
    return seeder.member(await seeder.organisation(name, 'developer'), 'developer', `${name.toLowerCase().replace(/\W/g, '-')}-dev`);
  };

  it('gives the history’s answer after the first catch-up and after later writes, for every window', async () => {
    const first = await lab('Stays Labs');
    // A draft (no events: its creation is its only entry), a case in audit, one that went around info_requested.
    await suite.driver.create(first);
    await suite.driver.inAudit([suite.world.auditorA], undefined, first);
    const around = await suite.driver.inAudit([suite.world.auditorA], undefined, first);
    await suite.driver.fireOk(suite.world.auditorA, around, 'REQUEST_INFO', { question: 'which red team?' });
    await suite.driver.fireOk(first, around, 'PROVIDE_INFO', { answer: 'ours' });

    const before = await compare({ from: null, to: null }, [first.organisationId]);
    expect(before.actual.map((r) => r.state)).toEqual(expect.arrayContaining(['draft', 'intake', 'awaiting_assignment', 'in_audit', 'info_requested']));

    // Writes after the catch-up: a case still new to the marks, and further events of a case already marked.
    const second = await lab('Stays Later Labs');
    const later = await suite.driver.inAudit([suite.world.auditorA], undefined, second);
    await suite.driver.fireOk(suite.world.auditorA, around, 'REQUEST_INFO', { question: 'and the evals?' });
    await suite.driver.fireOk(first, around, 'PROVIDE_INFO', { answer: 'attached' });
    await suite.driver.fireOk(suite.world.auditorA, later, 'REQUEST_INFO', { question: 'weights?' });

    const after = await compare({ from: null, to: null }, [first.organisationId, second.organisationId]);
    // Only the cases written since the last catch-up were read (other suites may have written a few).
    expect(after.caughtUp.cases).toBeGreaterThanOrEqual(2);
    expect(after.caughtUp.cases).toBeLessThan(50);
    const inAudit = after.actual.find((r) => r.developerOrganisationId === first.organisationId && r.state === 'in_audit')!;
    expect(inAudit.stays).toBe(before.actual.find((r) => r.state === 'in_audit')!.stays + 1);

    // The trailing windows the dashboard asks for, and a bounded one.
    await compare({ from: dayAgo(), to: null }, [first.organisationId, second.organisationId]);
    const { createdAt } = expectOk(await suite.driver.get(suite.world.regulator.http, later)) as { createdAt: string };
    await compare({ from: dayAgo(), to: createdAt }, [first.organisationId, second.organisationId]);
    await compare({ from: createdAt, to: null }, [first.organisationId, second.organisationId]);
  });

  it('stores each stay once when refreshes catch up at the same time', async () => {
    const third = await lab('Stays Race Labs');
    for (let i = 0; i < 3; i += 1) await suite.driver.inAudit([suite.world.auditorA], undefined, third);
    const repo = suite.stack.api.get(StatsRepository);
    await Promise.all([1, 2, 3].map(() => repo.summaryFromStays({ from: null, to: null }, FINAL_STATES)));
    const { actual } = await compare({ from: null, to: null }, [third.organisationId]);
    expect(actual.find((r) => r.state === 'intake')!.stays).toBe(3);
  });
});
