import { beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { SystemEventsUseCase } from '@app/cases';
import { NotificationFanoutService } from '@app/notifications';
import { OUTBOX_CHANNEL, OutboxRepository } from '@app/persistence';
import { DEFAULT_JOB_OPTIONS, JobNames, JobQueues, OutboxWake, QueueNames, createRedis, deadlineJobId, type JobToAdd } from '@app/queue';
import { RegistryPublisherService } from '@app/registry';
import { expectOk, settlesWithin, waitFor } from '@app/testing';
import { createWorker } from '../apps/worker/src/bootstrap.js';
import { OUTBOX_RETENTION_MS, OutboxRelayService, RUN_LEASE_MS } from '../apps/worker/src/outbox-relay.service.js';
import { IntakeProcessor } from '../apps/worker/src/processors/intake.processor.js';
import { RegistryRecordProcessor } from '../apps/worker/src/processors/registry.processor.js';
import { useSuite } from './support/suite.js';

/**
 * The worker's relay on the suite's own repositories, with `queues` standing in for BullMQ (or
 * the suite's real queues); `intake` replaces the intake processor the relay runs.
 */
const relayOn = (suite: ReturnType<typeof useSuite>, queues: JobQueues, intake?: IntakeProcessor, fanout?: NotificationFanoutService) =>
  new OutboxRelayService(
    suite.stack.config,
    suite.stack.api.get(OutboxRepository),
    queues,
    fanout ?? suite.stack.api.get(NotificationFanoutService),
    intake ?? new IntakeProcessor(suite.stack.api.get(SystemEventsUseCase)),
    new RegistryRecordProcessor(suite.stack.api.get(RegistryPublisherService), suite.stack.api.get(OutboxRepository)),
    suite.stack.api.get(OutboxWake),
  );

/** A JobQueues whose addBulk waits until released, then accepts every job or refuses them all. */
const heldQueues = (outcome: 'accept' | 'refuse') => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const added: JobToAdd[] = [];
  const queues = {
    addBulk: async (jobs: JobToAdd[]) => {
      added.push(...jobs);
      await released;
      return outcome === 'refuse' ? [...jobs] : [];
    },
  } as unknown as JobQueues;
  return { queues, added, release };
};

describe('outbox relay: one claiming statement, no lock held across Redis', () => {
  // No worker: the test runs the relay itself against a stand-in for Redis.
  const suite = useSuite({ worker: false });
  let db: DataSource;
  beforeAll(() => {
    db = suite.stack.api.get(DataSource);
  });

  const relay = (queues: JobQueues) => relayOn(suite, queues);
  /**
   * The assignment deadline's row of a case screened by hand (a deadline is a BullMQ job, run late),
   * under a pack whose assignment clock is within the horizon, so the step queues its job.
   */
  const deadlineRow = async (): Promise<string> => {
    const caseId = await suite.driver.create(undefined, undefined, {}, await suite.driver.publishPack({ assignment: 'PT30S' }));
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    await suite.stack.api.get(SystemEventsUseCase).screenRevision(caseId, 1);
    const [row] = await db.query(`SELECT id FROM outbox WHERE case_id = $1 AND kind = 'deadline'`, [caseId]);
    return row.id;
  };
  /** A row of a job the worker runs later (a lineage job; no worker runs in this suite). */
  const jobRow = async (): Promise<string> => {
    const [row] = await db.query(
      `INSERT INTO outbox (case_id, kind, payload) VALUES (NULL, 'base-model-flagged', jsonb_build_object('modelVersionId', gen_random_uuid())) RETURNING id`,
    );
    return row.id;
  };
  const sentAndProcessed = async (id: string) =>
    (await db.query(`SELECT sent_at IS NOT NULL AS sent, processed_at IS NOT NULL AS processed FROM outbox WHERE id = $1`, [id]))[0];

  it('marks rows sent before calling Redis, so a job acknowledging its row never waits on the relay', async () => {
    const id = await jobRow();
    const held = heldQueues('accept');
    const relayed = relay(held.queues).relayAll();
    await waitFor(async () => held.added.length, (n) => n > 0, { what: 'the relay to add jobs' });
    expect(held.added.map((job) => job.options?.jobId)).toContain(id);
    await expect(sentAndProcessed(id)).resolves.toEqual({ sent: true, processed: false });
    // The relay is still waiting on Redis: the acknowledgement must not wait on a lock.
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL lock_timeout = '2s'`);
      await tx.query(`UPDATE outbox SET processed_at = now() WHERE id = $1`, [id]);
    });
    held.release();
    await expect(relayed).resolves.toBeGreaterThan(0);
    await expect(sentAndProcessed(id)).resolves.toEqual({ sent: true, processed: true });
  });

  it('sends again on the next run the rows whose jobs Redis refused', async () => {
    const ids = [await jobRow(), await deadlineRow()];
    const refusing = heldQueues('refuse');
    refusing.release();
    await expect(relay(refusing.queues).relayAll()).rejects.toThrow(/sent again/);
    for (const id of ids) await expect(sentAndProcessed(id)).resolves.toEqual({ sent: false, processed: false });

    const accepting = heldQueues('accept');
    accepting.release();
    await expect(relay(accepting.queues).relayAll()).resolves.toBeGreaterThan(0);
    expect(accepting.added.map((job) => (job as JobToAdd & { id: string }).id)).toEqual(expect.arrayContaining(ids));
    await expect(sentAndProcessed(ids[0]!)).resolves.toEqual({ sent: true, processed: false });
  });

  it("acknowledges a deadline's row as its job is queued: the job waits in Redis until the deadline is due, and no claim walks it", async () => {
    const id = await deadlineRow();
    const accepting = heldQueues('accept');
    accepting.release();
    await relay(accepting.queues).relayAll();
    const job = accepting.added.find((added) => (added as JobToAdd & { id: string }).id === id) as JobToAdd<typeof JobNames.fireDeadline>;
    // One job id per deadline and due time, the one the sweep would give it.
    expect(job).toMatchObject({ name: JobNames.fireDeadline, options: { jobId: deadlineJobId(job.data.deadlineId, job.data.dueAt) } });
    expect(job.options!.delay).toBeGreaterThan(20_000);
    // Before, the row stayed unacknowledged until the job ran when due, in every claim's walk of the lost rows.
    await expect(sentAndProcessed(id)).resolves.toEqual({ sent: true, processed: true });
  });

  it('sends no NOTIFY when outbox rows are committed: a notifying commit holds a database-wide lock until it is on disk', async () => {
    const listener = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(n.channel));
      await listener.query(`LISTEN "${OUTBOX_CHANNEL}"`);
      // A row already sent and processed, so no relay ever acts on it.
      await db.query(`INSERT INTO outbox (case_id, kind, payload, sent_at, processed_at) VALUES (NULL, 'notify', '{}', now(), now())`);
      await suite.driver.create();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(heard).toEqual([]);
    } finally {
      await listener.end();
    }
  });

  it('announces over Redis every write answered with success, and no read', async () => {
    const subscriber = createRedis(suite.stack.config.REDIS_URL);
    try {
      const heard: string[] = [];
      subscriber.on('message', (channel: string) => heard.push(channel));
      await subscriber.subscribe(`${suite.stack.config.REDIS_PREFIX}:outbox-committed`);
      const caseId = await suite.driver.create();
      await waitFor(async () => heard.length, (n) => n >= 1, { what: 'the announcement of a created case' });
      // The driver's creation is more than one write: let their announcements all arrive.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = heard.length;
      expect((await suite.world.developer.http.get(`/v1/cases/${caseId}`)).status).toBe(200);
      // Refused writes commit nothing: not announced either.
      expect((await suite.world.developer.http.post(`/v1/cases/${caseId}/events`, { type: 'APPROVE' })).status).toBeGreaterThanOrEqual(400);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toHaveLength(before);
    } finally {
      await subscriber.quit();
    }
  });
});

describe('outbox relay: notification rows fanned out in the relay, in batches', () => {
  const suite = useSuite({ worker: false });
  let db: DataSource;
  beforeAll(() => {
    db = suite.stack.api.get(DataSource);
  });

  const relay = (queues: JobQueues) => relayOn(suite, queues);
  const accepting = () => {
    const held = heldQueues('accept');
    held.release();
    return held;
  };
  /** A withdrawn draft's notify row (a withdrawal tells the regulators). */
  const withdrawn = async (): Promise<{ caseId: string; notifyId: string }> => {
    const caseId = await suite.driver.create();
    await suite.driver.fireOk(suite.world.developer, caseId, 'WITHDRAW', { reason: 'test' });
    const [row] = await db.query(`SELECT id FROM outbox WHERE case_id = $1 AND kind = 'notify' ORDER BY created_at DESC LIMIT 1`, [caseId]);
    return { caseId, notifyId: row.id };
  };
  const processed = async (id: string) => (await db.query(`SELECT sent_at IS NOT NULL AS sent, processed_at IS NOT NULL AS processed FROM outbox WHERE id = $1`, [id]))[0];
  const inboxRows = async (caseId: string): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM notifications WHERE case_id = $1`, [caseId]))[0].n;

  it('fans out without BullMQ; a bad row in the batch does not hold back the others and is left to the lease', async () => {
    const good = [await withdrawn(), await withdrawn()];
    // A row whose payload cannot be read: the batch statement fails on it, then row by row only it fails.
    const [bad] = await db.query(`INSERT INTO outbox (case_id, kind, payload) VALUES ($1, 'notify', '{"caseId": "not-a-uuid", "seq": 1}') RETURNING id`, [good[0].caseId]);
    const held = accepting();
    const relayed = relay(held.queues);
    await expect(relayed.relayAll()).resolves.toBeGreaterThanOrEqual(3);
    await relayed.settled();
    const notifyIds = new Set([...good.map((g) => g.notifyId), bad.id]);
    expect(held.added.filter((job) => notifyIds.has(String(job.options?.jobId)))).toEqual([]);
    for (const { caseId, notifyId } of good) {
      await expect(processed(notifyId)).resolves.toEqual({ sent: true, processed: true });
      expect(await inboxRows(caseId)).toBeGreaterThan(0);
    }
    await expect(processed(bad.id)).resolves.toEqual({ sent: true, processed: false });
    await db.query(`DELETE FROM outbox WHERE id = $1`, [bad.id]);
  });

  it('claims the next batch while the last one is fanned out, one fan-out at a time', async () => {
    const first = await withdrawn();
    // The real fan-out, held until released, so the test sees what the relay does meanwhile.
    const real = suite.stack.api.get(NotificationFanoutService);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const calls: Array<Array<string | null>> = [];
    const slow = {
      fanOutMany: async (steps: Parameters<NotificationFanoutService['fanOutMany']>[0]) => {
        calls.push(steps.map((step) => step.outboxId));
        await held;
        return real.fanOutMany(steps);
      },
    } as unknown as NotificationFanoutService;
    const relayed = relayOn(suite, accepting().queues, undefined, slow);
    const firstRun = relayed.relayAll();
    await waitFor(async () => calls.length, (n) => n === 1, { what: 'the first fan-out to start' });
    expect(calls[0]).toContain(first.notifyId);
    // Before, the relay waited for its fan-out, so a row committed meanwhile waited a fan-out too.
    expect(await settlesWithin(firstRun, 2000)).toBe(true);
    await firstRun;

    const second = await withdrawn();
    const secondRun = relayed.relayAll();
    await waitFor(() => processed(second.notifyId), (row) => row.sent, { what: 'the next batch to be claimed' });
    // Claimed, but not fanned out while the first fan-out runs.
    expect(calls).toHaveLength(1);
    release();
    await secondRun;
    await relayed.settled();
    expect(calls).toHaveLength(2);
    for (const { caseId, notifyId } of [first, second]) {
      await expect(processed(notifyId)).resolves.toEqual({ sent: true, processed: true });
      expect(await inboxRows(caseId)).toBeGreaterThan(0);
    }
  });

  it('recovers by the lease a batch claimed by a relay that died before fanning it out; a repeat writes nothing', async () => {
    const { caseId, notifyId } = await withdrawn();
    // The dead relay: it claimed the row and did nothing more.
    const claimed = await suite.stack.api.get(OutboxRepository).claim(200, { runMs: RUN_LEASE_MS, runKinds: ['notify'], jobMs: suite.stack.config.OUTBOX_LEASE_MS });
    expect(claimed.map((row) => row.id)).toContain(notifyId);
    await expect(processed(notifyId)).resolves.toEqual({ sent: true, processed: false });
    expect(await inboxRows(caseId)).toBe(0);
    // Within the lease nobody takes it again.
    const relayed = relay(accepting().queues);
    await relayed.relayAll();
    await relayed.settled();
    await expect(processed(notifyId)).resolves.toEqual({ sent: true, processed: false });
    // The lease runs out.
    await db.query(`UPDATE outbox SET sent_at = now() - interval '1 day' WHERE id = $1`, [notifyId]);
    await relayed.relayAll();
    await relayed.settled();
    await expect(processed(notifyId)).resolves.toEqual({ sent: true, processed: true });
    const inbox = await inboxRows(caseId);
    expect(inbox).toBeGreaterThan(0);
    // Sent again once more (as a second lease would): nothing new.
    const [{ seq }] = await db.query(`SELECT payload->'seq' AS seq FROM outbox WHERE id = $1`, [notifyId]);
    await expect(suite.stack.api.get(NotificationFanoutService).fanOutMany([{ caseId, seq: Number(seq), outboxId: notifyId }])).resolves.toEqual({
      notified: 0,
      deliveries: 0,
    });
    expect(await inboxRows(caseId)).toBe(inbox);
  });
});

describe('outbox relay: intake and registry records run in the relay, a failed run retried by BullMQ', () => {
  const suite = useSuite({ worker: false });
  let db: DataSource;
  beforeAll(() => {
    db = suite.stack.api.get(DataSource);
  });

  const submitted = async (packRef?: string): Promise<{ caseId: string; intakeId: string }> => {
    const caseId = await suite.driver.create(undefined, undefined, {}, packRef);
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    const [row] = await db.query(`SELECT id FROM outbox WHERE case_id = $1 AND kind = 'intake'`, [caseId]);
    return { caseId, intakeId: row.id };
  };
  const processed = async (id: string) => (await db.query(`SELECT sent_at IS NOT NULL AS sent, processed_at IS NOT NULL AS processed FROM outbox WHERE id = $1`, [id]))[0];
  const eventTypes = async (caseId: string) => (await suite.driver.history(caseId)).map((item) => item.type);

  it('screens a submitted revision in the relay, with no BullMQ job, acknowledging the row', async () => {
    // An assignment clock within the horizon, so that the intake steps queue their deadlines' jobs.
    const packRef = await suite.driver.publishPack({ assignment: 'PT30S' });
    const cases = [await submitted(packRef), await submitted(packRef), await submitted(packRef)];
    const held = heldQueues('accept');
    held.release();
    const relay = relayOn(suite, held.queues);
    await expect(relay.relayAll()).resolves.toBeGreaterThanOrEqual(cases.length);
    await relay.settled();
    const intakeIds = new Set(cases.map((c) => c.intakeId));
    expect(held.added.filter((job) => intakeIds.has(String(job.options?.jobId)))).toEqual([]);
    // The intake steps' own rows, relayed next: their assignment deadlines still go to BullMQ.
    await relay.relayAll();
    await relay.settled();
    expect(held.added.filter((job) => job.name === JobNames.fireDeadline)).toHaveLength(cases.length);
    for (const { caseId, intakeId } of cases) {
      await expect(processed(intakeId)).resolves.toEqual({ sent: true, processed: true });
      expect(expectOk(await suite.driver.get(suite.world.regulator.http, caseId)).state).toBe('awaiting_assignment');
      expect(await eventTypes(caseId)).toEqual(['SUBMIT', 'INTAKE_PASSED']);
    }
  });

  it('hands a run that failed to BullMQ, delayed by the first backoff step, and the job completes it once', async () => {
    const { caseId, intakeId } = await submitted();
    const queues = suite.stack.api.get(JobQueues);
    const systemEvents = suite.stack.api.get(SystemEventsUseCase);
    // An intake processor whose run fails (as a lost connection would), whatever the row.
    const failing = new IntakeProcessor(systemEvents);
    failing.run = () => Promise.reject(new Error('connection lost'));
    const relay = relayOn(suite, queues, failing);
    await relay.relayAll();
    await relay.settled();
    await expect(processed(intakeId)).resolves.toEqual({ sent: true, processed: false });
    expect(await eventTypes(caseId)).toEqual(['SUBMIT']);
    const job = await queues.queue(QueueNames.intake).getJob(intakeId);
    expect(job).toMatchObject({ name: JobNames.screenRevision, data: { caseId, revision: 1 } });
    expect(job!.opts).toMatchObject({ delay: (DEFAULT_JOB_OPTIONS.backoff as { delay: number }).delay, attempts: DEFAULT_JOB_OPTIONS.attempts });

    // A worker takes the job and screens the revision, once.
    const worker = await createWorker(suite.stack.config);
    try {
      await waitFor(() => processed(intakeId), (row) => row.processed, { what: 'the retried intake job to acknowledge its row' });
      await suite.driver.waitForState(caseId, ['awaiting_assignment']);
      expect(await eventTypes(caseId)).toEqual(['SUBMIT', 'INTAKE_PASSED']);
    } finally {
      await worker.close();
    }
  });

  it('runs again after RUN_LEASE_MS an intake claimed by a worker that died, while a job\'s row waits for OUTBOX_LEASE_MS', async () => {
    expect(suite.stack.config.OUTBOX_LEASE_MS).toBeGreaterThan(RUN_LEASE_MS + 5000);
    const { caseId, intakeId } = await submitted();
    const [job] = await db.query(`INSERT INTO outbox (case_id, kind, payload) VALUES ($1, 'webhook-delivery', '{"deliveryId": "00000000-0000-4000-8000-000000000000"}') RETURNING id`, [
      caseId,
    ]);
    // The dead worker claimed both and ran neither.
    const claimed = await suite.stack.api.get(OutboxRepository).claim(200, { runMs: RUN_LEASE_MS, runKinds: ['intake'], jobMs: suite.stack.config.OUTBOX_LEASE_MS });
    expect(claimed.map((row) => row.id)).toEqual(expect.arrayContaining([intakeId, job.id]));
    const claimedAgo = (ms: number) =>
      db.query(`UPDATE outbox SET sent_at = now() - make_interval(secs => $2::double precision / 1000) WHERE id = ANY($1::uuid[])`, [[intakeId, job.id], ms]);
    const held = heldQueues('accept');
    held.release();
    const relay = relayOn(suite, held.queues);
    // Within the run lease nobody takes either.
    await claimedAgo(RUN_LEASE_MS - 2000);
    await relay.relayAll();
    await relay.settled();
    await expect(processed(intakeId)).resolves.toEqual({ sent: true, processed: false });
    // Past it, the intake is run; the job's row is not sent again before its own lease.
    await claimedAgo(RUN_LEASE_MS + 1000);
    await relay.relayAll();
    await relay.settled();
    await expect(processed(intakeId)).resolves.toEqual({ sent: true, processed: true });
    expect(await eventTypes(caseId)).toEqual(['SUBMIT', 'INTAKE_PASSED']);
    expect(held.added.map((added) => added.options?.jobId)).not.toContain(job.id);
    await db.query(`DELETE FROM outbox WHERE id = $1`, [job.id]);
    // The intake step's own rows, relayed, so the next test's relay finds none.
    await relay.relayAll();
    await relay.settled();
  });

  it('sends again on the next run a failed row whose job Redis refused', async () => {
    const { caseId, intakeId } = await submitted();
    const failing = new IntakeProcessor(suite.stack.api.get(SystemEventsUseCase));
    failing.run = () => Promise.reject(new Error('connection lost'));
    const refusing = heldQueues('refuse');
    refusing.release();
    const relay = relayOn(suite, refusing.queues, failing);
    await relay.relayAll();
    await relay.settled();
    expect(refusing.added.map((job) => job.options?.jobId)).toContain(intakeId);
    await expect(processed(intakeId)).resolves.toEqual({ sent: false, processed: false });

    const accepting = heldQueues('accept');
    accepting.release();
    const again = relayOn(suite, accepting.queues);
    await again.relayAll();
    await again.settled();
    await expect(processed(intakeId)).resolves.toEqual({ sent: true, processed: true });
    expect(await eventTypes(caseId)).toEqual(['SUBMIT', 'INTAKE_PASSED']);
  });
});

describe('outbox relay: acknowledged rows are deleted after their retention', () => {
  const suite = useSuite({ worker: false });

  it('deletes only rows acknowledged more than the retention ago, in batches', async () => {
    const db = suite.stack.api.get(DataSource);
    const insert = (processedAgo: string | null, count = 1) =>
      db.query(
        `INSERT INTO outbox (case_id, kind, payload, sent_at, processed_at)
         SELECT NULL, 'notify', '{}', now() - interval '30 days', ${processedAgo === null ? 'NULL' : `now() - interval '${processedAgo}'`}
           FROM generate_series(1, $1) RETURNING id`,
        [count],
      ) as Promise<Array<{ id: string }>>;
    const old = await insert('8 days', 7);
    const recent = await insert('6 days');
    const unacknowledged = await insert(null);
    const retention = OUTBOX_RETENTION_MS;
    await expect(suite.stack.api.get(OutboxRepository).prune(retention, 3)).resolves.toBeGreaterThanOrEqual(old.length);
    const left = async (rows: Array<{ id: string }>) =>
      (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]))[0].n;
    expect(await left(old)).toBe(0);
    expect(await left(recent)).toBe(1);
    // Never acknowledged, however old: still owed to someone.
    expect(await left(unacknowledged)).toBe(1);
  });
});
