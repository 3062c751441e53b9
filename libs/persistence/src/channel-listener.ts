import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '@app/config';
import { SESSION_SETTINGS } from './data-source.js';

/** The channel every statement that adds outbox rows notifies (trigger `outbox_notify`, migrations 1764890000000 and 1764940000000). */
export const OUTBOX_CHANNEL = 'clearance_outbox';

/**
 * The channel every statement that may end a token's validity notifies (revocation, expiry,
 * deletion, any change of a user: trigger `auth_notify`, migration 1764930000000).
 */
export const AUTH_CHANNEL = 'clearance_auth';

/** A listener asks its peers whether they have caught up (`sync:<marker>`); each answers `ack:<marker>`. */
const SYNC = 'sync:';
const ACK = 'ack:';
/** A listener's notification to itself, to know it still hears the channel (`ping:<marker>`); the others ignore it. */
const PING = 'ping:';

/** How often a listener checks that it still hears its channel. */
export const HEARTBEAT_MS = 5_000;
/** How long closing waits for the server to see the connection out. */
const CLOSE_MS = 1_000;

interface PendingSync {
  seenOwn: boolean;
  peers: number | null;
  acks: Set<number>;
  check(): void;
}

/**
 * A connection of its own that LISTENs on one Postgres channel (a pooled connection cannot:
 * it would be handed to other queries). `onNotify` runs for every notification, with its payload;
 * `onLost` once, when the connection fails or ends, so the owner can listen again.
 */
export class ChannelListener {
  private closing = false;
  private readonly pending = new Map<string, PendingSync>();
  private readonly pings = new Map<string, () => void>();
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    private readonly client: pg.Client,
    private readonly channel: string,
    private readonly onNotify: (payload: string) => void,
    /** How long since a peer's last statement it still counts as listening: it pings every heartbeat. */
    private readonly peerSilenceMs: number,
  ) {}

  /** Every statement of a listener starts with this, so a sync can count the listeners in `pg_stat_activity`. */
  private get tag(): string {
    return `/* listener:${this.channel} */`;
  }

  /**
   * Listens on `channel` until the connection fails, ends, or goes silent: every `heartbeatMs` the
   * listener notifies itself and must hear it back within `connectTimeoutMs`. A connection whose
   * server froze, or whose network path went dark without a reset (a firewall or NAT that forgot an
   * idle flow), otherwise looked open and heard nothing for ever: the api kept its token cache on
   * and went on accepting, for the cache's minute, tokens revoked through its peers.
   */
  static async listen(
    databaseUrl: string,
    channel: string,
    onNotify: (payload: string) => void,
    onLost: (error: unknown) => void,
    connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
    heartbeatMs = HEARTBEAT_MS,
  ): Promise<ChannelListener> {
    // Keepalive: a connection that vanished without a reset (a dead host) is noticed, not listened on
    // forever, on either side (SESSION_SETTINGS has the server's); the connect timeout: a server that
    // takes the connection and never answers fails the attempt, and the owner tries again, instead of
    // waiting on it for minutes.
    const client = new pg.Client({ connectionString: databaseUrl, keepAlive: true, connectionTimeoutMillis: connectTimeoutMs, options: SESSION_SETTINGS });
    const listener = new ChannelListener(client, channel, onNotify, 2 * heartbeatMs + connectTimeoutMs);
    let lost = false;
    const lose = (error: unknown) => {
      if (lost || listener.closing) return;
      lost = true;
      clearTimeout(listener.heartbeat);
      // Not end(): on a silent connection it waits for ever for the server to close.
      client.connection.stream.destroy();
      onLost(error);
    };
    client.on('notification', (message) => {
      if (message.channel === channel) listener.receive(message.payload ?? '', message.processId);
    });
    client.on('error', lose);
    client.on('end', () => lose(new Error('the listening connection ended')));
    await client.connect();
    await client.query(`${listener.tag} LISTEN ${pg.escapeIdentifier(channel)}`);
    const beat = async () => {
      if (await listener.ping(connectTimeoutMs)) listener.heartbeat = setTimeout(beat, heartbeatMs).unref();
      else lose(new Error(`the listening connection went silent: its own notification did not come back within ${connectTimeoutMs} ms`));
    };
    listener.heartbeat = setTimeout(beat, heartbeatMs).unref();
    return listener;
  }

  /** Resolves whether this listener hears its own notification within `timeoutMs`. */
  private async ping(timeoutMs: number): Promise<boolean> {
    const marker = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<boolean>((resolve) => {
      this.pings.set(marker, () => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
      this.client.query(`${this.tag} SELECT pg_notify($1, $2)`, [this.channel, `${PING}${marker}`]).catch(() => resolve(false));
    });
    try {
      return await heard;
    } finally {
      clearTimeout(timer);
      this.pings.delete(marker);
    }
  }

  /**
   * Resolves true once every listener on the channel (this one and those of the other processes,
   * connected as the same role) has received every notification committed before the call, and so
   * run its `onNotify` for them: Postgres delivers notifications in commit order, so a marker sent
   * now reaches each after them, and each answers it. False after `timeoutMs`.
   */
  async sync(timeoutMs: number): Promise<boolean> {
    const marker = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<boolean>((resolve) => {
      const sync: PendingSync = {
        seenOwn: false,
        peers: null,
        acks: new Set(),
        check: () => {
          if (sync.seenOwn && sync.peers !== null && sync.acks.size >= sync.peers) resolve(true);
        },
      };
      this.pending.set(marker, sync);
      timer = setTimeout(() => resolve(false), timeoutMs);
      this.client
        .query<{ peers: number }>(
          // A peer whose last statement is older than its heartbeats allow is a session left behind by a
          // listener that gave it up (the server keeps it until its TCP keepalive ends it): not waited for.
          `${this.tag} SELECT pg_notify($1, $2), (SELECT count(*)::int FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE $3
               AND state_change > now() - make_interval(secs => $4)) AS peers`,
          [this.channel, `${SYNC}${marker}`, `${this.tag}%`, this.peerSilenceMs / 1000],
        )
        .then(({ rows }) => {
          sync.peers = rows[0]!.peers;
          sync.check();
        })
        .catch(() => resolve(false));
    });
    try {
      return await done;
    } finally {
      clearTimeout(timer);
      this.pending.delete(marker);
    }
  }

  /** Ends the connection; one on a silent server is given up after CLOSE_MS rather than waited on. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.heartbeat);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.client.end().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_MS)))]);
    clearTimeout(timer);
    this.client.connection.stream.destroy();
  }

  private receive(payload: string, sender: number): void {
    if (payload.startsWith(PING)) this.pings.get(payload.slice(PING.length))?.();
    else if (payload.startsWith(SYNC)) {
      const marker = payload.slice(SYNC.length);
      const own = this.pending.get(marker);
      if (own) {
        own.seenOwn = true;
        own.check();
      } else {
        // Everything committed before the marker has been handled above: say so.
        this.client.query(`${this.tag} SELECT pg_notify($1, $2)`, [this.channel, `${ACK}${marker}`]).catch(() => undefined);
      }
    } else if (payload.startsWith(ACK)) {
      const own = this.pending.get(payload.slice(ACK.length));
      if (own) {
        own.acks.add(sender);
        own.check();
      }
    } else this.onNotify(payload);
  }
}
