import pg from 'pg';

export interface PoolClientConfig extends pg.ClientConfig {
  /**
   * Whether the watch asks the server if this connection's query still runs, or only if the server
   * answers. Only a direct connection can be asked: through a pooler in transaction mode, the backend
   * id the connection was given is the pooler's.
   */
  checkBackend?: boolean;
}

/** How long an answer the server has sent is given to arrive before the connection is ended. */
const ANSWER_IN_FLIGHT_MS = 100;

/** What the server says of a connection whose query has had no answer for a while. */
export type Verdict = 'working' | 'lost';

// Only this connection's own role sees the state of its backend; the probe connects as the same role.
const BACKEND_STATE = `SELECT state FROM pg_stat_activity WHERE pid = $1`;

/**
 * The pool's connection class: a pg.Client that always has an 'error' listener, and ends itself
 * when the server it waits on is gone.
 *
 * The listener: pg emits 'error' on a client with no query running when the server ends its
 * session (a restart's 57P01). A client checked out of the pool has no listener of the pool's, and
 * TypeORM adds its own a microtask after the checkout (none at all while it sets the pool up), so
 * an error read in the same chunk as the reply before it was thrown, and ended the process (found
 * by the soak). The connection is dead either way: its next query fails and the pool drops it when
 * it is released.
 *
 * The watch: a query sent to a server that froze, or over a network path that went silent (a host
 * cut off, a failover that left the old address dead, a firewall that forgot the flow), waits for an
 * answer that never comes: for ever once the server has acknowledged the bytes, since TCP then has
 * nothing to resend. A query without an answer for `connectionTimeoutMillis` (the bound on opening
 * a connection: how long the database may take to show it is there) has its server asked, over a
 * new connection, whether it is still running it; a server that does not answer within the connect
 * bound, or that no longer runs it, means the answer is never coming, and the connection is ended:
 * the query fails as "Connection terminated unexpectedly" (503 to a client) and the pool drops it.
 * A slow statement on a live server (a summary's refresh, a migration) is never cut short.
 */
export class PoolClient extends pg.Client {
  /** Connections of this process the watch has ended (`clearance_database_connections_ended_total`). */
  static ended = 0;

  /** How long a query waits for its answer before the server is asked about it; none without a connect bound. */
  private readonly silenceMs: number | undefined;
  private readonly checkBackend: boolean;
  private readonly probeConfig: pg.ClientConfig;

  constructor(config?: PoolClientConfig) {
    super(config);
    this.on('error', () => undefined);
    this.silenceMs = config?.connectionTimeoutMillis || undefined;
    this.checkBackend = config?.checkBackend ?? false;
    this.probeConfig = { ...config, query_timeout: this.silenceMs, keepAlive: false };
  }

  /**
   * Asks the server, over a connection of its own, whether it is still working on this connection's
   * query. A server that answers with an error (full, say) is alive and left to finish; one that
   * does not answer within the connect bound is not.
   */
  async probe(): Promise<Verdict> {
    const probe = new pg.Client(this.probeConfig);
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if (!this.checkBackend) return 'working';
      const { rows } = await probe.query<{ state: string | null }>(BACKEND_STATE, [(this as unknown as { processID: number }).processID]);
      // Idle, or idle in a transaction: the server answered and the answer never arrived.
      return rows[0]?.state === 'active' ? 'working' : 'lost';
    } catch (error) {
      return error instanceof pg.DatabaseError ? 'working' : 'lost';
    } finally {
      probe.connection.stream.destroy();
    }
  }

  /** Ends the connection without waiting on the server: its query fails, and the pool drops it. */
  private endSilent(): void {
    PoolClient.ended++;
    this.connection.stream.destroy();
  }

  /** Watches `answer`, the promise of a query sent on this connection (see the class's comment). */
  watch(answer: Promise<unknown>): void {
    const silenceMs = this.silenceMs;
    if (!silenceMs) return;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const check = async () => {
      const verdict = await this.probe();
      if (settled) return;
      if (verdict === 'working') return void (timer = setTimeout(check, silenceMs).unref());
      // An answer the server sent just before it was asked may still be on its way.
      timer = setTimeout(() => settled || this.endSilent(), ANSWER_IN_FLIGHT_MS).unref();
    };
    timer = setTimeout(check, silenceMs).unref();
    const settle = () => {
      settled = true;
      clearTimeout(timer);
    };
    answer.then(settle, settle);
  }
}

type QueryArgs = [config: unknown, values?: unknown, callback?: unknown];

// On the prototype, not as a method, so pg's overloads of `query` stay as they are; pg.Client's is
// looked up at each call, so a wrapper installed there (bench/support/statement-counter.ts) still counts.
(PoolClient.prototype as unknown as { query: (...args: QueryArgs) => unknown }).query = function query(this: PoolClient, ...args: QueryArgs) {
  const result = (pg.Client.prototype.query as unknown as (...a: QueryArgs) => unknown).apply(this, args);
  if (result instanceof Promise) this.watch(result);
  return result;
};
