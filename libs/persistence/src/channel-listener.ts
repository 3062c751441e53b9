import pg from 'pg';

/** The channel every statement that adds outbox rows notifies (trigger `outbox_notify`, migrations 1764890000000 and 1764940000000). */
export const OUTBOX_CHANNEL = 'clearance_outbox';

/**
 * A connection of its own that LISTENs on one Postgres channel (a pooled connection cannot:
 * it would be handed to other queries). `onNotify` runs for every notification, with its payload;
 * `onLost` once, when the connection fails or ends, so the owner can listen again.
 */
export class ChannelListener {
  private closing = false;

  private constructor(private readonly client: pg.Client) {}

  static async listen(
    databaseUrl: string,
    channel: string,
    onNotify: (payload: string) => void,
    onLost: (error: unknown) => void,
  ): Promise<ChannelListener> {
    const client = new pg.Client({ connectionString: databaseUrl });
    const listener = new ChannelListener(client);
    let lost = false;
    const lose = (error: unknown) => {
      if (lost || listener.closing) return;
      lost = true;
      client.end().catch(() => undefined);
      onLost(error);
    };
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    client.on('error', lose);
    client.on('end', () => lose(new Error('the listening connection ended')));
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    return listener;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.client.end().catch(() => undefined);
  }
}
