import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import type { ReadSummaryRepository, SummaryStamp } from '@app/persistence';
import { ReadSummariesService } from './read-summaries.service.js';

/** An in-memory summary table whose stamp's age the test sets. */
const table = () => {
  const rows = new Map<string, { body: unknown; computedAt: string; costMs: number }>();
  let age = 0;
  const repository = {
    stamp: async (key: string): Promise<SummaryStamp | null> => {
      const row = rows.get(key);
      return row ? { computedAt: row.computedAt, ageSeconds: age, ready: true, costMs: row.costMs } : null;
    },
    body: async (key: string) => rows.get(key) ?? null,
    leases: [] as number[],
    lease: async (_key: string, seconds: number) => {
      repository.leases.push(seconds);
      return true;
    },
    put: async (key: string, body: unknown, computedAt: string, costMs: number) => {
      rows.set(key, { body: JSON.parse(JSON.stringify(body)), computedAt, costMs });
      return computedAt;
    },
    release: async () => undefined,
    estimatedCases: async () => 0,
    now: async () => new Date().toISOString(),
  };
  return { repository: repository as unknown as ReadSummaryRepository, setAge: (seconds: number) => (age = seconds), leases: repository.leases };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A computation of 150 ms whose body counts the computations; `computations()` reads the count. */
const slowComputation = () => {
  let count = 0;
  const compute = async () => {
    count++;
    await sleep(150);
    return { n: count };
  };
  return { compute, computations: () => count };
};

describe(ReadSummariesService.name, () => {
  const config = { SUMMARY_MIN_CASES: 0, SUMMARY_REFRESH_SECONDS: 1, SUMMARY_REFRESH_PACE: 10 } as AppConfig;

  it('serves the stored body with its JSON, and refreshes no sooner than ten times its last computation took', async () => {
    const { repository, setAge } = table();
    const sut = new ReadSummariesService(repository, config);
    // 150 ms a computation: refreshed once older than 1.5 s, not at SUMMARY_REFRESH_SECONDS (1 s).
    const { compute, computations } = slowComputation();

    const first = await sut.read('stats:7d', compute);
    expect(first).toEqual({ body: { n: 1 }, ageSeconds: 0, json: null });

    setAge(1.2);
    const served = await sut.read('stats:7d', compute);
    expect(served).toEqual({ body: { n: 1 }, ageSeconds: 1, json: '{"n":1}' });
    await sleep(200);
    expect(computations()).toBe(1);

    // Past 1.5 s by more than a busy machine stretches 150 ms (a measured 170 ms paced 1.7 s, and
    // 1.6 s then refreshed nothing); the refresh runs in the background, so it is waited for.
    setAge(3);
    await sut.read('stats:7d', compute);
    for (let waited = 0; computations() < 2 && waited < 2000; waited += 50) await sleep(50);
    expect(computations()).toBe(2);
  });

  it('keeps the pace on another replica or after a restart, and for a body stored along with the one refreshed: the cost is stored with the body', async () => {
    const { repository, setAge } = table();
    const { compute, computations } = slowComputation();
    const first = new ReadSummariesService(repository, config);
    await first.read('stats:all', compute);
    // The dashboard's windows are computed together: the others are stored with the shared computation's cost.
    await first.store('stats:7d', { n: 0 }, new Date().toISOString(), 150);

    setAge(1.2);
    const second = new ReadSummariesService(repository, config);
    await second.read('stats:all', compute);
    await second.read('stats:7d', compute);
    await sleep(200);
    expect(computations()).toBe(1);

    setAge(1.6);
    await second.read('stats:7d', compute);
    await sleep(200);
    expect(computations()).toBe(2);
  });

  it('leases a refresh for several of its last computations when they outlast several refresh periods, so a slow one is not raced', async () => {
    const { repository, setAge, leases } = table();
    const sut = new ReadSummariesService(repository, { ...config, SUMMARY_REFRESH_PACE: 1 } as AppConfig);
    await sut.store('stats:all', { n: 0 }, new Date().toISOString(), 40_000);
    setAge(41);
    await sut.read('stats:all', async () => ({ n: 1 }));
    await sleep(50);
    // 5 × SUMMARY_REFRESH_SECONDS is 5 s; three computations of 40 s are 120 s.
    expect(leases).toEqual([120]);
  });

  it('tells the computation whether its body is to be stored (a refresh) or for one request (a small database)', async () => {
    const stored: boolean[] = [];
    const compute = async (toStore: boolean) => {
      stored.push(toStore);
      return { n: stored.length };
    };
    const { repository, setAge } = table();
    const large = new ReadSummariesService(repository, config);
    await large.read('stats:all', compute);
    setAge(5);
    await large.read('stats:all', compute);
    await sleep(50);
    expect(stored).toEqual([true, true]);

    const small = new ReadSummariesService(table().repository, { ...config, SUMMARY_MIN_CASES: 100_000 } as AppConfig);
    await small.read('stats:all', compute);
    expect(stored).toEqual([true, true, false]);
    expect(await small.isLarge()).toBe(false);
  });

  it('logs a background refresh that could not take its lease (the database restarting), and still serves the stored body', async () => {
    const { repository, setAge } = table();
    const sut = new ReadSummariesService(repository, config);
    const compute = async () => ({ n: 1 });
    await sut.read('stats:30d', compute);
    const restarting = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    repository.lease = async () => Promise.reject(restarting);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      setAge(5);
      expect(await sut.read('stats:30d', compute)).toMatchObject({ body: { n: 1 }, ageSeconds: 5 });
      await sleep(50);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('refreshing the stats:30d summary failed'));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      warn.mockRestore();
    }
  });

  it("ends only a lease it took: a request's own first computation that fails leaves another replica's lease alone", async () => {
    const { repository } = table();
    let released = 0;
    repository.release = async () => void released++;
    const sut = new ReadSummariesService(repository, config);
    const failing = async (): Promise<never> => Promise.reject(new Error('statement timeout'));
    await expect(sut.read('stats:90d', failing)).rejects.toThrow('statement timeout');
    expect(released).toBe(0);
  });
});
