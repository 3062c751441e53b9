import { beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { CaseFactsService, SystemEventsUseCase } from '@app/cases';
import { expectOk, waitFor } from '@app/testing';
import { createWorker } from '../apps/worker/src/bootstrap.js';
import { useSuite } from './support/suite.js';

describe('worker: outbox relay and idempotent jobs', () => {
  let db: DataSource;
  let systemEvents: SystemEventsUseCase;

  // No worker yet: jobs wait in the outbox, as they would while Redis or the worker is down.
  const suite = useSuite({ worker: false });
  beforeAll(async () => {
    db = suite.stack.api.get(DataSource);
    systemEvents = suite.stack.api.get(SystemEventsUseCase);
  });

  const eventTypes = async (caseId: string) =>
    expectOk(await suite.world.regulator.http.get(`/v1/cases/${caseId}/history?limit=200`)).items.map((i) => i.type);
  const unsent = async (caseId: string, kind = 'intake') =>
    Number((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE case_id = $1 AND kind = $2 AND sent_at IS NULL`, [caseId, kind]))[0].n);

  it('stores the intake job in the outbox with the transition, and a job run twice changes nothing the second time', async () => {
    const caseId = await suite.driver.create();
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    expect((await suite.driver.get(suite.world.regulator.http, caseId)).body.state).toBe('intake');
    expect(await unsent(caseId)).toBe(1);

    await expect(systemEvents.screenRevision(caseId, 1)).resolves.toBe('passed');
    await expect(systemEvents.screenRevision(caseId, 1)).resolves.toBe('stale');
    expect(await eventTypes(caseId)).toEqual(['SUBMIT', 'INTAKE_PASSED']);

    // The worker starts, relays the waiting row, and its job finds nothing left to do.
    const worker = await createWorker(suite.stack.config);
    try {
      await waitFor(() => unsent(caseId), (n) => n === 0, { what: 'the outbox row to be relayed' });
      const jobs = suite.stack.api.get(DataSource);
      await waitFor(
        async () => Number((await jobs.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`))[0].n),
        (n) => n === 0,
        { what: 'an empty outbox' },
      );
      expect(await eventTypes(caseId)).toEqual(['SUBMIT', 'INTAKE_PASSED']);
      expect(expectOk(await suite.driver.get(suite.world.regulator.http, caseId)).state).toBe('awaiting_assignment');
    } finally {
      await worker.close();
    }
  });

  it('fires a deadline once, only when it is due by the Postgres clock', async () => {
    const caseId = await suite.driver.create();
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    await systemEvents.screenRevision(caseId, 1);
    const [deadline] = await db.query(`SELECT id FROM deadlines WHERE case_id = $1 AND kind = 'assignment' AND closed_at IS NULL`, [caseId]);
    expect(deadline).toBeDefined();

    await expect(systemEvents.fireDeadline(caseId, deadline.id)).resolves.toBe(false);
    await db.query(`UPDATE deadlines SET due_at = now() - interval '1 second' WHERE id = $1`, [deadline.id]);
    await expect(systemEvents.fireDeadline(caseId, deadline.id)).resolves.toBe(true);
    await expect(systemEvents.fireDeadline(caseId, deadline.id)).resolves.toBe(false);

    const types = await eventTypes(caseId);
    expect(types.filter((t) => t === 'DEADLINE_PASSED')).toHaveLength(1);
    const view = expectOk(await suite.driver.get(suite.world.regulator.http, caseId));
    expect(view.state).toBe('awaiting_assignment');
    expect(view.deadlines).toEqual([expect.objectContaining({ id: deadline.id, kind: 'assignment', escalatedAt: expect.any(String) })]);
    expect(await suite.driver.overdueQueue()).toContain(caseId);
  });

  it('screens without holding the case: a write between its read and its write is lost, the revision screened again and the job acknowledged once, with the step', async () => {
    const caseId = await suite.driver.create();
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    const [job] = await db.query(`SELECT id FROM outbox WHERE case_id = $1 AND kind = 'intake'`, [caseId]);
    const facts = suite.stack.api.get(CaseFactsService);
    const screen = facts.screen.bind(facts);
    const acknowledgedAtScreening: boolean[] = [];
    facts.screen = async (row, conn) => {
      acknowledgedAtScreening.push((await db.query(`SELECT processed_at IS NOT NULL AS done FROM outbox WHERE id = $1`, [job.id]))[0].done);
      // Another writer, once, while the first screening runs and holds no lock.
      if (acknowledgedAtScreening.length === 1) await db.query(`UPDATE cases SET version = version + 1 WHERE id = $1`, [caseId]);
      return screen(row, conn);
    };
    try {
      await expect(systemEvents.screenRevision(caseId, 1, job.id)).resolves.toBe('passed');
    } finally {
      facts.screen = screen;
    }
    expect(acknowledgedAtScreening).toEqual([false, false]);
    expect(await eventTypes(caseId)).toEqual(['SUBMIT', 'INTAKE_PASSED']);
    expect((await db.query(`SELECT processed_at IS NOT NULL AS done FROM outbox WHERE id = $1`, [job.id]))[0].done).toBe(true);
  });

  it('ignores an intake result for a revision that is no longer current', async () => {
    const caseId = await suite.driver.create();
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    await expect(systemEvents.screenRevision(caseId, 7)).resolves.toBe('stale');
    expect(await eventTypes(caseId)).toEqual(['SUBMIT']);
  });
});
