import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/** Errors that say "not now" rather than "never": the server is down, restarting, starting up or full. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01', // admin_shutdown: the server shut down (or terminated this connection) while we connected
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the database system is starting up or shutting down
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08006', // connection_failure
  '53300', // too_many_connections: every slot of the server (or of the role) is taken until others leave
]);

/**
 * pg's own errors carry no code: a connection that closed under a query or before it, one that did not
 * open within `connectionTimeoutMillis`, and a wait for a free pooled connection that outlasted it.
 */
const TERMINATED =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)$/;

/**
 * TypeORM releases a query runner whose connection failed between two of its queries; the next one
 * then throws one of these, not the connection's error (a programming error that throws one fails
 * after the timeout instead of at once).
 */
const RUNNER_RELEASED = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

export const isTransientConnectError = (error: unknown): boolean =>
  TRANSIENT_CODES.has(String((error as { code?: unknown })?.code)) ||
  TERMINATED.test(String((error as { message?: unknown })?.message)) ||
  RUNNER_RELEASED.has(String((error as { name?: unknown })?.name));

interface RetryOptions {
  timeoutMs?: number;
  retryMs?: number;
  onRetry?: (error: unknown) => void;
}

/**
 * Runs a step of a process's start that needs the database (connecting, loading a key, publishing
 * the shipped policy packs), running it again while the database is restarting or not up yet, for
 * up to `timeoutMs`: a process started beside a restarting Postgres used to exit at once. A wrong
 * password, a missing database or any other error fails at the first attempt.
 */
export const whenReachable = async <T>(
  what: string,
  step: () => Promise<T>,
  {
    timeoutMs = 60_000,
    retryMs = 500,
    onRetry = (error) => new Logger('Persistence').warn(`database not reachable while ${what} (${(error as Error).message}); retrying`),
  }: RetryOptions = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!isTransientConnectError(error) || Date.now() + retryMs > deadline) throw error;
      onRetry(error);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
};

/** Initializes the DataSource once the database is reachable (`whenReachable`). */
export const initializeWhenReachable = (dataSource: DataSource, options: RetryOptions = {}): Promise<DataSource> =>
  whenReachable(
    'connecting',
    async () => {
      try {
        return await dataSource.initialize();
      } catch (error) {
        // A failure after the pool was made leaves it behind (TypeORM destroys only an initialized source) and
        // the next try makes another. Not awaited: ending waits for a connection that a failed step never released.
        const pool = (dataSource.driver as unknown as { master?: { end(): Promise<void> } } | undefined)?.master;
        if (!dataSource.isInitialized) void pool?.end().catch(() => undefined);
        throw error;
      }
    },
    options,
  );
