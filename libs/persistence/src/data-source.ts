import { DataSource, type MigrationInterface } from 'typeorm';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '@app/config';
import { NamedStatementClient } from './named-statement.client.js';
import { PoolClient } from './pool-client.js';

type MigrationClass = new () => MigrationInterface;

/**
 * A transaction of ours never waits on its client for more than moments (nothing slow runs
 * inside one). A session idle in a transaction longer than this belongs to a process that hangs,
 * is frozen or is cut off by the network without its socket closing: Postgres ends it, and the
 * row locks it held (a case's, with every write to that case queued behind it) go with it,
 * instead of after the operating system's TCP keep-alive, two hours by default.
 */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * The server probes an idle connection of ours after 30 s of silence, every 10 s, three times: a
 * session whose client vanished without a close (its host cut off, or a process that gave up a
 * silent connection: PoolClient, ChannelListener) is ended within a minute instead of the
 * operating system's two hours, and with it the connection slot it held.
 */
const SERVER_KEEPALIVES = '-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3';

/**
 * What every session of ours runs with: short statements, for which a JIT compilation (10–180 ms
 * measured at a million cases) or the start of parallel workers (~50 ms on the 2-core machine of
 * docs/benchmarks.md) costs more than the statement itself; the estimates of a filtered list walk
 * (hundreds of thousands of rows for a page that stops after fifty) triggered both. The summaries'
 * refreshes, the one long work, then keep to one core beside the requests. No transaction is left
 * idle for longer than IDLE_IN_TRANSACTION_TIMEOUT_MS, and no session outlives its client for long
 * (SERVER_KEEPALIVES).
 */
export const SESSION_SETTINGS = `-c jit=off -c max_parallel_workers_per_gather=0 -c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_TIMEOUT_MS} ${SERVER_KEEPALIVES}`;

/**
 * One DataSource per process; schema changes come only from migrations. Its pool's connections
 * run repeated parameterized statements as named prepared statements (NamedStatementClient)
 * unless `namedStatements` is false (a pooler in transaction mode cannot keep them, nor session
 * settings: there SESSION_SETTINGS belong on the database role); either way a connection whose
 * session the server ended never throws, and one whose server went silent under a query is ended
 * (PoolClient).
 */
export const createDataSource = (
  databaseUrl: string,
  migrations: MigrationClass[] = [],
  poolSize: number,
  namedStatements = true,
  connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
): DataSource =>
  new DataSource({
    type: 'postgres',
    url: databaseUrl,
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    migrations,
    logging: false,
    extra: {
      max: poolSize,
      // Bounds both opening a connection and waiting for a free one: a database that takes connections
      // and never answers, or a pool held by slow work, is 503 after this, not a request waiting for ever.
      connectionTimeoutMillis: connectTimeoutMs,
      // A query without an answer for as long has its server asked whether it is still at it (PoolClient).
      checkBackend: namedStatements,
      ...(namedStatements ? { Client: NamedStatementClient, options: SESSION_SETTINGS } : { Client: PoolClient }),
    },
  });

/** The URL with `application_name` set (unless it names one), so `pg_stat_activity` tells the processes apart. */
export const withApplicationName = (databaseUrl: string, applicationName: string): string => {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('application_name')) url.searchParams.set('application_name', applicationName);
  return url.toString();
};
