import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { within } from '@app/http';
import { REDIS } from '@app/queue';

const WINDOW_MS = 60_000;
// A request never waits on Redis for longer than this: the limiter fails open.
const REDIS_TIMEOUT_MS = 500;

/** `::ffff:127.0.0.1` and `127.0.0.1` are one address. */
const normalise = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * Counts wrong tokens per client address in a fixed one-minute window held in Redis, so
 * every api replica sees the same count. Only failures are counted: a valid token never
 * touches it. While Redis is down or slow it counts nothing and limits nothing.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly logger = new Logger(AuthFailureLimiter.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one wrong token from `address`; past the limit, the seconds until its window ends, else null. */
  async recordFailure(address: string): Promise<number | null> {
    // Not connected: commands would wait in ioredis's offline queue.
    if (this.redis.status !== 'ready') return null;
    const key = `${this.config.REDIS_PREFIX}:auth-failures:${normalise(address)}`;
    try {
      // SET NX PX opens the window with its expiry at the first failure (any Redis version, unlike PEXPIRE NX); INCR keeps it.
      const replies = await within(this.redis.multi().set(key, 0, 'PX', WINDOW_MS, 'NX').incr(key).pttl(key).exec(), REDIS_TIMEOUT_MS, 'Redis did not answer');
      const count = Number(replies?.[1]?.[1]);
      const ttl = Number(replies?.[2]?.[1]);
      if (!(count > this.config.AUTH_FAILURES_PER_MINUTE)) return null;
      return Math.max(1, Math.ceil((ttl > 0 ? ttl : WINDOW_MS) / 1000));
    } catch (error) {
      this.logger.warn(`auth failure limiter skipped: ${(error as Error).message}`);
      return null;
    }
  }
}
