/**
 * Loaded into a bench child with `--import` (when `BENCH_STATEMENT_FILE` is set): counts the
 * statements the process sends through `pg` and writes the running total to that file every
 * 200 ms, so the bench can report statements per transition without `pg_stat_statements`.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';

const file = process.env.BENCH_STATEMENT_FILE;
if (file) {
  let count = 0;
  const original = pg.Client.prototype.query;
  // Every call is one statement on the wire (pg sends one query per call, prepared or not).
  pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
    count++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  let written = -1;
  setInterval(() => {
    if (count !== written) writeFileSync(file, String(count));
    written = count;
  }, 200).unref();
}
