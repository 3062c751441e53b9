import { describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { parseConfig } from '@app/config';
import { AuthFailureLimiter } from './auth-failure-limiter.js';

/** Just enough of ioredis for the limiter: a MULTI of SET NX PX, INCR and PTTL over one map. */
const fakeRedis = ({ status = 'ready', stalled = false } = {}) => {
  const counts = new Map<string, number>();
  const calls: string[][] = [];
  const redis = {
    status,
    multi() {
      const queued: string[][] = [];
      const chain = {
        set: (key: string, value: number, px: string, ms: number, nx: string) => (queued.push(['set', key, String(value), px, String(ms), nx]), chain),
        incr: (key: string) => (queued.push(['incr', key]), chain),
        pttl: (key: string) => (queued.push(['pttl', key]), chain),
        exec: () => {
          calls.push(...queued);
          if (stalled) return new Promise(() => {});
          const key = queued[0]![1]!;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          return Promise.resolve([[null, 'OK'], [null, counts.get(key)], [null, 42_100]]);
        },
      };
      return chain;
    },
  };
  return { redis: redis as unknown as Redis, calls };
};

describe(AuthFailureLimiter.name, () => {
  const config = parseConfig({ REDIS_PREFIX: 'p', AUTH_FAILURES_PER_MINUTE: '3' });

  it('lets the limit pass, then answers the seconds left in the window, per address', async () => {
    const { redis, calls } = fakeRedis();
    const sut = new AuthFailureLimiter(redis, config);
    for (let i = 0; i < 3; i++) await expect(sut.recordFailure('::ffff:10.0.0.1')).resolves.toBeNull();
    await expect(sut.recordFailure('10.0.0.1')).resolves.toBe(43);
    await expect(sut.recordFailure('10.0.0.2')).resolves.toBeNull();
    expect(calls.slice(0, 3)).toEqual([['set', 'p:auth-failures:10.0.0.1', '0', 'PX', '60000', 'NX'], ['incr', 'p:auth-failures:10.0.0.1'], ['pttl', 'p:auth-failures:10.0.0.1']]);
  });

  it('fails open without sending anything while Redis is not connected', async () => {
    const { redis, calls } = fakeRedis({ status: 'reconnecting' });
    await expect(new AuthFailureLimiter(redis, config).recordFailure('10.0.0.1')).resolves.toBeNull();
    expect(calls).toEqual([]);
  });

  it('fails open when Redis does not answer in time', async () => {
    const { redis } = fakeRedis({ stalled: true });
    const started = Date.now();
    await expect(new AuthFailureLimiter(redis, config).recordFailure('10.0.0.1')).resolves.toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
