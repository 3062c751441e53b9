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

  it('commits the items of a failed batch one by one, so only the item that fails alone fails', async () => {
    const batches: number[][] = [];
    const sut = new GroupCommit(async (items: number[]) => {
      batches.push(items);
      if (items.includes(2)) throw new Error('record 2 is refused');
      return items.map((i) => `done ${i}`);
    });
    const first = sut.submit(1);
    const rest = [2, 3].map((i) => sut.submit(i));
    await expect(first).resolves.toBe('done 1');
    await expect(rest[0]).rejects.toThrow('record 2 is refused');
    await expect(rest[1]).resolves.toBe('done 3');
    expect(batches).toEqual([[1], [2, 3], [2], [3]]);
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
