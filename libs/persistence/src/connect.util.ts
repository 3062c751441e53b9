import type { DataSource } from 'typeorm';

/** Errors that say "not now" rather than "never": the server is down, restarting or starting up. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P03', // cannot_connect_now: the database system is starting up or shutting down
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08006', // connection_failure
]);

export const isTransientConnectError = (error: unknown): boolean => TRANSIENT_CODES.has(String((error as { code?: unknown })?.code));

/**
 * Initializes the DataSource, waiting up to `timeoutMs` for a database that is restarting or not
 * up yet (a process started beside a restarting Postgres used to exit at once). A wrong password,
 * a missing database or any other error fails at the first attempt.
 */
export const initializeWhenReachable = async (
  dataSource: DataSource,
  { timeoutMs = 60_000, retryMs = 500, onRetry = (_error: unknown) => {} }: { timeoutMs?: number; retryMs?: number; onRetry?: (error: unknown) => void } = {},
): Promise<DataSource> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await dataSource.initialize();
    } catch (error) {
      if (!isTransientConnectError(error) || Date.now() + retryMs > deadline) throw error;
      onRetry(error);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
};
