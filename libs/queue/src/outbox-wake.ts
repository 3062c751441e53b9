import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { REDIS } from './redis-connection.js';

/**
 * Wakes the outbox relays when rows were committed. A process that committed outbox rows
 * announces it on a Redis channel after the commit; every worker's relay listens and runs at once.
 * Postgres NOTIFY did this before, but a notifying commit holds a database-wide lock until it is
 * on disk, so it serialised every write (docs/decisions.md, "The relay is woken over Redis").
 * An announcement is a hint, not a delivery: one that is lost (Redis down, a listener
 * reconnecting) costs only latency, since the relay also polls every RELAY_INTERVAL_MS.
 */
@Injectable()
export class OutboxWake implements OnApplicationShutdown {
  private readonly logger = new Logger(OutboxWake.name);
  private readonly channel: string;
  private subscriber: Redis | null = null;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // The key prefix keeps deployments (and test runs) sharing one Redis apart.
    this.channel = `${config.REDIS_PREFIX}:outbox-committed`;
  }

  /** Tells every relay that outbox rows were committed; never waits and never throws. */
  announce(): void {
    this.redis.publish(this.channel, '').catch((error: unknown) => this.logger.debug({ err: error }, 'outbox announcement lost; the relays poll'));
  }

  /**
   * Calls `onWake` on every announcement, and each time the listening connection is (re)established,
   * since announcements made while it was down are lost.
   */
  listen(onWake: () => void): void {
    if (this.subscriber) throw new Error('already listening');
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', () => onWake());
    subscriber.on('ready', () => onWake());
    subscriber.on('error', (error) => this.logger.debug({ err: error }, 'outbox announcements: listening connection error'));
    // Queued until Redis answers (and subscribed again by ioredis after a reconnect): never blocks a boot.
    subscriber.subscribe(this.channel).catch((error: unknown) => this.logger.warn({ err: error }, 'not listening for outbox announcements; the relay polls'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
