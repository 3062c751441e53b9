import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { initializeWhenReachable, isTransientConnectError } from './connect.util.js';

/** Fails with each given error in turn, then initializes. */
const flaky = (errors: unknown[]) => {
  let calls = 0;
  const source = {
    initialize: async () => {
      calls++;
      const next = errors.shift();
      if (next) throw next;
      return source;
    },
  };
  return { source: source as unknown as DataSource, calls: () => calls };
};
const coded = (code: string) => Object.assign(new Error(code), { code });

describe('initializeWhenReachable', () => {
  it('tells a restarting or unreachable server from a refusal', () => {
    expect(['ECONNREFUSED', '57P01', '57P03', '08006', '53300'].map((c) => isTransientConnectError(coded(c)))).toEqual([true, true, true, true, true]);
    for (const message of ['Connection terminated unexpectedly', 'Connection terminated due to connection timeout', 'timeout exceeded when trying to connect'])
      expect(isTransientConnectError(new Error(message))).toBe(true);
    for (const name of ['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError'])
      expect(isTransientConnectError(Object.assign(new Error('released'), { name }))).toBe(true);
    expect(['28P01', '3D000', 'X'].map((c) => isTransientConnectError(coded(c)))).toEqual([false, false, false]);
    expect(isTransientConnectError(undefined)).toBe(false);
  });

  it('waits through a refused connection and a database starting up', async () => {
    const { source, calls } = flaky([coded('ECONNREFUSED'), coded('57P03')]);
    const retried: unknown[] = [];
    await expect(initializeWhenReachable(source, { retryMs: 1, onRetry: (e) => retried.push(e) })).resolves.toBe(source);
    expect([calls(), retried.length]).toEqual([3, 2]);
  });

  it('fails at once on a wrong password, and after the timeout on a server that never comes', async () => {
    const wrongPassword = flaky([coded('28P01')]);
    await expect(initializeWhenReachable(wrongPassword.source, { retryMs: 1 })).rejects.toThrow('28P01');
    expect(wrongPassword.calls()).toBe(1);
    const never = flaky(Array.from({ length: 1000 }, () => coded('ECONNREFUSED')));
    await expect(initializeWhenReachable(never.source, { retryMs: 5, timeoutMs: 30 })).rejects.toThrow('ECONNREFUSED');
    expect(never.calls()).toBeLessThan(10);
  });
});
