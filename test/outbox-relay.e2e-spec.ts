import { beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { OUTBOX_CHANNEL, OutboxRepository } from '@app/persistence';
import type { JobQueues, JobToAdd } from '@app/queue';
import { waitFor } from '@app/testing';
import { OutboxRelayService } from '../apps/worker/src/outbox-relay.service.js';
import { useSuite } from './support/suite.js';

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

  const relay = (queues: JobQueues) => new OutboxRelayService(suite.stack.config, suite.stack.api.get(OutboxRepository), queues);
  const submittedIntakeRow = async (): Promise<string> => {
    const caseId = await suite.driver.create();
    await suite.driver.fireOk(suite.world.developer, caseId, 'SUBMIT');
    const [row] = await db.query(`SELECT id FROM outbox WHERE case_id = $1 AND kind = 'intake'`, [caseId]);
    return row.id;
  };
  const sentAndProcessed = async (id: string) =>
    (await db.query(`SELECT sent_at IS NOT NULL AS sent, processed_at IS NOT NULL AS processed FROM outbox WHERE id = $1`, [id]))[0];

  it('marks rows sent before calling Redis, so a job acknowledging its row never waits on the relay', async () => {
    const id = await submittedIntakeRow();
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
    const id = await submittedIntakeRow();
    const refusing = heldQueues('refuse');
    refusing.release();
    await expect(relay(refusing.queues).relayAll()).rejects.toThrow(/sent again/);
    await expect(sentAndProcessed(id)).resolves.toEqual({ sent: false, processed: false });

    const accepting = heldQueues('accept');
    accepting.release();
    await expect(relay(accepting.queues).relayAll()).resolves.toBeGreaterThan(0);
    expect(accepting.added.map((job) => job.options?.jobId)).toContain(id);
    await expect(sentAndProcessed(id)).resolves.toEqual({ sent: true, processed: false });
  });

  it('is woken only by statements that added outbox rows', async () => {
    const listener = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(n.channel));
      await listener.query(`LISTEN "${OUTBOX_CHANNEL}"`);
      // An INSERT of no rows (as the notification fan-out's statement makes when no webhook is called).
      await db.query(`INSERT INTO outbox (case_id, kind, payload) SELECT NULL, 'notify', '{}'::jsonb WHERE false`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(heard).toEqual([]);
      // A row already sent and processed: announced, but never relayed.
      await db.query(`INSERT INTO outbox (case_id, kind, payload, sent_at, processed_at) VALUES (NULL, 'notify', '{}', now(), now())`);
      await waitFor(async () => heard.length, (n) => n === 1, { what: 'the notification of an added row' });
      expect(heard).toEqual([OUTBOX_CHANNEL]);
    } finally {
      await listener.end();
    }
  });
});
