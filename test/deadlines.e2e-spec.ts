import { describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { JobQueues, QueueNames, deadlineJobId } from '@app/queue';
import { waitFor, waitForOk } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { deadlineJobResult, sweepCompletedSince } from './support/jobs.js';
import { useSuite } from './support/suite.js';

/** Each kind of deadline of SPEC.md, with clocks of a second, against the real worker. */
describe('deadlines: every kind fires and moves the case as SPEC.md says', () => {
  const suite = useSuite({ env: { DEADLINE_SWEEP_MS: '500' } });

  const pack = (deadlines: Record<string, string>) => suite.driver.publishPack(deadlines);
  const caseUnder = (packRef: string) => suite.driver.create(undefined, undefined, {}, packRef);

  const inAudit = async (packRef: string) => {
    const caseId = await caseUnder(packRef);
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    await suite.driver.waitForState(caseId, ['awaiting_assignment']);
    await suite.driver.fireOk(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorA.id });
    return caseId;
  };

  const released = async (packRef: string) => {
    const caseId = await inAudit(packRef);
    await suite.driver.approve(suite.world.auditorA, caseId);
    await suite.driver.fireOk(suite.world.developer, caseId, 'RECORD_RELEASE', {
      components: [{ component: 'inference_code', release: 'open', location: 'https://example.org/code' }],
    });
    return caseId;
  };

  const escalated = (caseId: string, kind: string) =>
    waitFor(
      async () => expectOk(await suite.driver.get(suite.world.regulator.http, caseId)),
      (view) => view.deadlines.some((d) => d.kind === kind && d.escalatedAt !== null),
      { what: `${kind} escalated` },
    );

  const deadlineEvents = async (caseId: string) => (await suite.driver.history(caseId)).filter((i) => i.type === 'DEADLINE_PASSED');

  it('escalates an overdue audit: one history row, the overdue queue, the regulators told; the auditor can be reassigned', async () => {
    const caseId = await inAudit(await pack({ audit: 'PT1S' }));
    const view = await escalated(caseId, 'audit');
    expect(view.state).toBe('in_audit');
    expect(await deadlineEvents(caseId)).toEqual([expect.objectContaining({ actor: 'system', fromState: 'in_audit', toState: 'in_audit' })]);
    expect(await suite.driver.overdueQueue()).toContain(caseId);
    await waitForOk(
      () => suite.world.regulator.http.get('/v1/notifications'),
      (body) => body.items.some((n) => n.caseId === caseId && n.eventType === 'DEADLINE_PASSED'),
      { what: 'the regulators notified' },
    );
    const reassigned = await suite.driver.fireOk(suite.world.regulator, caseId, 'REASSIGN_AUDITOR', { fromAuditorId: suite.world.auditorA.id, toAuditorId: suite.world.auditorC.id });
    expect(reassigned.state).toBe('in_audit');
    expect((await suite.driver.history(caseId)).at(-1)).toMatchObject({ type: 'REASSIGN_AUDITOR', payload: { fromAuditorId: suite.world.auditorA.id, toAuditorId: suite.world.auditorC.id } });
    // Escalated once: the deadline stays listed until the state is left, and a later sweep does not fire it again.
    await sweepCompletedSince(suite.stack, Date.now());
    expect(await deadlineEvents(caseId)).toHaveLength(1);
    expect(expectOk(await suite.driver.get(suite.world.regulator.http, caseId)).deadlines).toEqual([
      expect.objectContaining({ kind: 'audit', escalatedAt: view.deadlines.find((d) => d.kind === 'audit')?.escalatedAt }),
    ]);
  }, 90_000);

  it('escalates an overdue regulator review', async () => {
    const caseId = await inAudit(await pack({ review: 'PT1S' }));
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'FLAG', { reason: 'the uplift trial is underpowered' });
    const view = await escalated(caseId, 'review');
    expect(view.state).toBe('regulator_review');
  });

  it('lapses a case whose requested changes never come', async () => {
    const caseId = await inAudit(await pack({ changes_response: 'PT1S' }));
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'REQUEST_CHANGES', { summary: 'add the cyber protocol' });
    const view = await suite.driver.waitForState(caseId, ['lapsed']);
    expect(view.deadlines).toEqual([]);
    expect((await suite.driver.history(caseId)).at(-1)).toMatchObject({ type: 'DEADLINE_PASSED', fromState: 'changes_requested', toState: 'lapsed' });
  });

  it('sends a released model to reassessment when it comes due, and escalates rather than lapses a case once released', async () => {
    const caseId = await released(await pack({ reassessment: 'PT1S', changes_response: 'PT1S' }));
    await suite.driver.waitForState(caseId, ['reassessment_required']);
    const view = await escalated(caseId, 'changes_response');
    expect(view.state).toBe('reassessment_required');
    expect((await deadlineEvents(caseId)).map((e) => e.toState)).toEqual(['reassessment_required', 'reassessment_required']);
  });

  it('does nothing for a deadline whose case moved on', async () => {
    const caseId = await inAudit(await pack({ info_response: 'PT1S' }));
    const asked = await suite.driver.fireOk(suite.world.auditorA, caseId, 'REQUEST_INFO', { question: 'which reference model?' });
    const deadline = asked.deadlines.find((d) => d.kind === 'info_response');
    expect(deadline).toBeDefined();
    await suite.driver.fireOk(suite.world.developer, caseId, 'PROVIDE_INFO', { answer: 'the 8B open model' });
    // Its own job ran at the due time and found it closed; a sweep taken after the due time left it too.
    await expect(deadlineJobResult(suite.stack, deadline!.id)).resolves.toBe('not-open');
    await sweepCompletedSince(suite.stack, Date.parse(deadline!.dueAt));
    expect(expectOk(await suite.driver.get(suite.world.regulator.http, caseId)).state).toBe('in_audit');
    expect(await deadlineEvents(caseId)).toEqual([]);
  }, 90_000);
});

/**
 * A deadline's BullMQ job is queued when the deadline comes near (within twice DEADLINE_SWEEP_MS),
 * by the sweep, not when it opens: a deadline due in days costs Redis nothing until then.
 */
describe('deadlines: a job is queued when its deadline comes near', () => {
  // Sweep every 2 s: the horizon is 4 s; an audit clock of 8 s is queued by a sweep 2 to 4 s before it is due.
  const suite = useSuite({ env: { DEADLINE_SWEEP_MS: '2000' } });

  it('queues no job when a deadline beyond the horizon opens; a sweep queues it ahead of its due time, and the job fires it', async () => {
    const packRef = await suite.driver.publishPack({ audit: 'PT8S' });
    const caseId = await suite.driver.create(undefined, undefined, {}, packRef);
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    await suite.driver.waitForState(caseId, ['awaiting_assignment']);
    const assigned = await suite.driver.fireOk(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorA.id });
    const audit = assigned.deadlines.find((d) => d.kind === 'audit')!;
    const jobId = deadlineJobId(audit.id, audit.dueAt);
    const deadlineJobs = suite.stack.api.get(JobQueues).queue(QueueNames.deadlines);

    const db = suite.stack.api.get(DataSource);
    expect(await db.query(`SELECT 1 FROM outbox WHERE kind = 'deadline' AND payload->>'deadlineId' = $1`, [audit.id])).toEqual([]);
    expect(await deadlineJobs.getJob(jobId)).toBeUndefined();

    const queued = await waitFor(() => deadlineJobs.getJob(jobId), (job) => job !== undefined, { timeoutMs: 15_000, what: 'the audit deadline queued by a sweep' });
    // Queued ahead of the due time, so the job, not the sweep, fires it on time.
    expect(queued!.timestamp).toBeLessThan(Date.parse(audit.dueAt));
    await expect(deadlineJobResult(suite.stack, audit.id, 20_000)).resolves.toBe('fired');
    const view = expectOk(await suite.driver.get(suite.world.regulator.http, caseId));
    expect(view.deadlines.find((d) => d.id === audit.id)?.escalatedAt).not.toBeNull();
  }, 60_000);
});
