import { describe, expect, it } from '@jest/globals';
import { GroupCommit } from './group-commit.js';

/** A commit the test ends by hand, recording each batch it was given. */
const manualCommit = () => {
  const batches: number[][] = [];
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const commit = (items: number[]) => {
    batches.push(items);
    return new Promise<string[]>((resolve, reject) => {
      pending.push({ resolve: () => resolve(items.map((i) => `done ${i}`)), reject });
    });
  };
  return { batches, pending, commit };
};

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(GroupCommit.name, () => {
  it('commits the first item at once and every item that arrived meanwhile in one next batch', async () => {
    const { batches, pending, commit } = manualCommit();
    const sut = new GroupCommit(commit);
    const first = sut.submit(1);
    await tick();
    expect(batches).toEqual([[1]]);
    const rest = [sut.submit(2), sut.submit(3), sut.submit(4)];
    await tick();
    expect(batches).toEqual([[1]]);
    pending[0]!.resolve();
    await expect(first).resolves.toBe('done 1');
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    pending[1]!.resolve();
    await expect(Promise.all(rest)).resolves.toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('fails only the batch whose commit failed, and carries on with the next', async () => {
    const { batches, pending, commit } = manualCommit();
    const sut = new GroupCommit(commit);
    const first = sut.submit(1);
    const second = sut.submit(2);
    await tick();
    pending[0]!.reject(new Error('deadlock'));
    await expect(first).rejects.toThrow('deadlock');
    await tick();
    expect(batches).toEqual([[1], [2]]);
    pending[1]!.resolve();
    await expect(second).resolves.toBe('done 2');
  });

  it('caps a batch at maxBatch items', async () => {
    const { batches, pending, commit } = manualCommit();
    const sut = new GroupCommit(commit, 2);
    const all = [1, 2, 3, 4, 5].map((i) => sut.submit(i));
    await tick();
    pending[0]!.resolve();
    await tick();
    pending[1]!.resolve();
    await tick();
    pending[2]!.resolve();
    await Promise.all(all);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });
});
