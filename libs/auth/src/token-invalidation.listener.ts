import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AUTH_CHANNEL, ChannelListener } from '@app/persistence';
import { TokenCache } from './token-cache.js';

/** How long to wait before listening again after the listening connection was lost. */
const RELISTEN_MS = 1000;
/** How long a revoking request waits at most for its own process to have seen the revocation. */
export const SETTLE_TIMEOUT_MS = 1000;

/**
 * Keeps the TokenCache honest: LISTENs on AUTH_CHANNEL (the `auth_notify` triggers on api_tokens
 * and users) and clears the cache on every notification. The cache is used only while listening:
 * it is switched on once LISTEN succeeded and off the moment the connection is lost, then cleared
 * again when listening resumes.
 */
@Injectable()
export class TokenInvalidationListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TokenInvalidationListener.name);
  private listener: ChannelListener | null = null;
  private relistenTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: TokenCache,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.cache.deactivate();
    if (this.relistenTimer) clearTimeout(this.relistenTimer);
    await this.listener?.close();
  }

  /**
   * Resolves once every listening api process has seen every invalidation committed before the
   * call (bounded by SETTLE_TIMEOUT_MS): a route that revoked a token awaits it before answering,
   * so the client's next request, to any process, is refused.
   */
  async settle(): Promise<void> {
    const listener = this.listener;
    if (!listener || !this.cache.isActive) return;
    if (!(await listener.sync(SETTLE_TIMEOUT_MS))) this.logger.warn(`not every api process acknowledged a token invalidation within ${SETTLE_TIMEOUT_MS} ms`);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    try {
      const listener = await ChannelListener.listen(
        this.config.DATABASE_APP_URL,
        AUTH_CHANNEL,
        () => this.cache.invalidate(),
        (error) => this.relisten(error),
        this.config.DATABASE_CONNECT_TIMEOUT_MS,
      );
      if (this.stopped) return void (await listener.close());
      this.listener = listener;
      this.cache.activate();
    } catch (error) {
      this.relisten(error);
    }
  }

  private relisten(error: unknown): void {
    this.cache.deactivate();
    this.listener = null;
    if (this.stopped || this.relistenTimer) return;
    this.logger.warn({ err: error }, 'token invalidations not received; looking every token up until listening again');
    this.relistenTimer = setTimeout(() => {
      this.relistenTimer = null;
      void this.listen();
    }, RELISTEN_MS);
  }
}
