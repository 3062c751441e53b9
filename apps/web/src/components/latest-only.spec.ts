import { describe, expect, it } from '@jest/globals';
import { LatestOnly, type Outcome } from './latest-only';

/** A load whose answer the test releases when it chooses. */
const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe(LatestOnly.name, () => {
  it('drops the answer of a load superseded by a newer one, even when it arrives last', async () => {
    const sut = new LatestOnly();
    const reported: Array<Outcome<string>> = [];
    const older = deferred<string>();
    const newer = deferred<string>();
    let olderSignal: AbortSignal | undefined;
    const first = sut.run((signal) => ((olderSignal = signal), older.promise), (o) => reported.push(o));
    const second = sut.run(() => newer.promise, (o) => reported.push(o));

    expect(olderSignal?.aborted).toBe(true);
    newer.resolve('version 8');
    older.resolve('version 7');
    await Promise.all([first, second]);

    expect(reported).toEqual([{ ok: true, value: 'version 8' }]);
  });

  it('drops a superseded failure too, and reports the latest failure as an Error', async () => {
    const sut = new LatestOnly();
    const reported: Array<Outcome<string>> = [];
    const older = deferred<string>();
    const first = sut.run(() => older.promise, (o) => reported.push(o));
    const second = sut.run(() => Promise.reject(new Error('404')), (o) => reported.push(o));
    older.reject(new Error('network'));
    await Promise.all([first, second]);

    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ ok: false, error: { message: '404' } });
  });

  it('reports nothing for a load cancelled before it answers (a value was set by hand, or the page left)', async () => {
    const sut = new LatestOnly();
    const reported: Array<Outcome<number>> = [];
    const pending = deferred<number>();
    const run = sut.run(() => pending.promise, (o) => reported.push(o));
    sut.cancel();
    pending.resolve(1);
    await run;

    expect(reported).toEqual([]);
  });

  it('reports the answer of a load that nothing superseded', async () => {
    const sut = new LatestOnly();
    const reported: Array<Outcome<number>> = [];
    await sut.run(() => Promise.resolve(42), (o) => reported.push(o));

    expect(reported).toEqual([{ ok: true, value: 42 }]);
  });
});
