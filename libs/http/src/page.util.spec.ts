import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ProblemError } from '@app/problems';
import { allPages, paginate } from './page.util.js';

const KEY = Buffer.alloc(32, 1);
const ROWS = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, at: i }));

const page = (limit: number, cursor?: string, fingerprint = 'q', key = KEY) =>
  paginate(
    { limit, cursor },
    {
      fingerprint,
      keyset: z.tuple([z.number().int(), z.string()]),
      fetch: async (after, rows) => ROWS.filter((r) => after === null || r.at > after[0]).slice(0, rows),
      keyOf: (row) => [row.at, row.id],
      view: (row) => row.id,
    },
    key,
  );

describe(paginate.name, () => {
  it('walks every row once, page by page, and ends with a null cursor', async () => {
    const first = await page(2);
    expect(first.items).toEqual(['r0', 'r1']);
    const second = await page(2, first.nextCursor!);
    expect(second.items).toEqual(['r2', 'r3']);
    const last = await page(2, second.nextCursor!);
    expect(last).toEqual({ items: ['r4'], nextCursor: null });
  });

  it('gives no next cursor when the page is exactly the rest', async () => {
    await expect(page(5)).resolves.toEqual({ items: ROWS.map((r) => r.id), nextCursor: null });
  });

  it('refuses a cursor of another query, or signed with another key', async () => {
    const first = await page(2);
    await expect(page(2, first.nextCursor!, 'other')).rejects.toBeInstanceOf(ProblemError);
    await expect(page(2, first.nextCursor!, 'q', Buffer.alloc(32, 2))).rejects.toBeInstanceOf(ProblemError);
  });
});

describe(allPages.name, () => {
  it('follows nextCursor from the given cursor to the last page, reading each page only when asked', async () => {
    const asked: Array<string | undefined> = [];
    const fetchPage = (cursor: string | undefined) => {
      asked.push(cursor);
      return page(2, cursor);
    };
    const pages = await allPages(fetchPage);
    expect(asked).toEqual([undefined]);
    const seen: string[][] = [];
    for await (const items of pages) seen.push(items);
    expect(seen).toEqual([['r0', 'r1'], ['r2', 'r3'], ['r4']]);
    expect(asked).toHaveLength(3);

    const fromSecond = await allPages(fetchPage, (await page(2)).nextCursor!);
    const rest: string[] = [];
    for await (const items of fromSecond) rest.push(...items);
    expect(rest).toEqual(['r2', 'r3', 'r4']);
  });

  it('fails before resolving when the first page does (a bad cursor)', async () => {
    await expect(allPages((cursor) => page(2, cursor), 'not-a-cursor')).rejects.toBeInstanceOf(ProblemError);
  });
});
