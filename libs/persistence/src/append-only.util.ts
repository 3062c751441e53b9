/**
 * Append-only tables: a row trigger refuses UPDATE and DELETE, a statement trigger refuses
 * TRUNCATE, both calling one function that migration AppendOnlyTables1764780000000 creates.
 * `npm run migrate` finds these tables by that function (see app-role.util.ts) and grants the
 * app role only SELECT and INSERT on them, so a new append-only table needs nothing else.
 *
 * Committed migrations call this: change the SQL only by adding a new function and helper.
 */
export const APPEND_ONLY_FUNCTION = 'refuse_append_only_change';

/** What a migration's QueryRunner (or a pg client) offers. */
interface Queryable {
  query(sql: string): Promise<unknown>;
}

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/** Makes `table` append-only: for a later migration's `up`, after creating the table. */
export const makeAppendOnly = async (q: Queryable, table: string): Promise<void> => {
  await q.query(
    `CREATE TRIGGER ${quote(`${table}_append_only_rows`)} BEFORE UPDATE OR DELETE ON ${quote(table)}
     FOR EACH ROW EXECUTE FUNCTION ${APPEND_ONLY_FUNCTION}()`,
  );
  await q.query(
    `CREATE TRIGGER ${quote(`${table}_append_only_truncate`)} BEFORE TRUNCATE ON ${quote(table)}
     FOR EACH STATEMENT EXECUTE FUNCTION ${APPEND_ONLY_FUNCTION}()`,
  );
};

/** The reverse of makeAppendOnly, for a migration's `down`. */
export const dropAppendOnly = async (q: Queryable, table: string): Promise<void> => {
  await q.query(`DROP TRIGGER IF EXISTS ${quote(`${table}_append_only_rows`)} ON ${quote(table)}`);
  await q.query(`DROP TRIGGER IF EXISTS ${quote(`${table}_append_only_truncate`)} ON ${quote(table)}`);
};
