import { z } from 'zod';
import { readCursor, signCursor, type KeysetRule } from './cursor.util.js';

/** `?limit=` (1–200, default 50) and `?cursor=`: spread into every list's query schema. */
export const pageSchema = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The page a client asked for: `pageSchema`'s fields of its parsed query. */
export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

export interface PageSource<Row, Item, K extends readonly unknown[] | []> {
  /** What the cursor is bound to: a cursor of another query is 400. */
  fingerprint: string;
  /** The keyset's shape (`KEYSETS`): a cursor whose keyset does not fit is 400, never a query error. */
  keyset: KeysetRule<K>;
  /** Rows after the keyset (null: from the start), at most `limit` of them. */
  fetch: (after: K | null, limit: number) => Promise<Row[]>;
  /** The keyset of a row, which the next page starts after. */
  keyOf: (row: Row) => K;
  view: (row: Row) => Item;
}

/**
 * One keyset page, its cursors signed with `key`: reads one row more than the limit to know
 * whether a next page exists. Queries call it through the injectable Paginator.
 */
export const paginate = async <Row, Item, K extends readonly unknown[] | []>(
  { limit, cursor }: PageQuery,
  source: PageSource<Row, Item, K>,
  key: Buffer,
): Promise<Page<Item>> => {
  const after = readCursor(key, cursor, source.fingerprint, source.keyset);
  const rows = await source.fetch(after, limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(source.view),
    nextCursor: rows.length > limit && last !== undefined ? signCursor(key, source.fingerprint, source.keyOf(last)) : null,
  };
};

/**
 * Every page from `cursor` on, following nextCursor. The first page is read before this
 * resolves, so a bad cursor or query fails before a response has started; the rest are read
 * one at a time as the consumer asks for them.
 */
export const allPages = async <Item>(
  fetchPage: (cursor: string | undefined) => Promise<Page<Item>>,
  cursor?: string,
): Promise<AsyncGenerator<Item[]>> => {
  const first = await fetchPage(cursor);
  return (async function* () {
    let page = first;
    for (;;) {
      yield page.items;
      if (page.nextCursor === null) return;
      page = await fetchPage(page.nextCursor);
    }
  })();
};
