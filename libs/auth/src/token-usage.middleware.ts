import { Logger } from '@nestjs/common';
import type { TokenRepository } from '@app/persistence';
import type { AuthenticatedRequest } from './auth.decorators.js';
import type { TokenCache } from './token-cache.js';
import { hashToken } from './token.util.js';

interface Exchange {
  request: AuthenticatedRequest & { headers: Record<string, string | string[] | undefined> };
  response: { statusCode: number; once(event: 'finish', listener: () => void): unknown };
}

const logger = new Logger('TokenUsage');

/**
 * Records a token's `lastUsedAt` after the answer is sent: only when the AuthGuard accepted it
 * (`request.user`) and the status is 2xx, and at most once a minute per token (the UPDATE's
 * condition), so a refused request never counts as a use and busy tokens cost one write a minute.
 * The statement is skipped while the cache knows of a use recorded within the minute: it would change nothing.
 */
export const tokenUsage =
  (tokens: Pick<TokenRepository, 'touch'>, cache: Pick<TokenCache, 'needsTouch' | 'recordTouch'>) =>
  (request: Exchange['request'], response: Exchange['response'], next: () => void): void => {
    response.once('finish', () => {
      const header = request.headers.authorization;
      if (!request.user || typeof header !== 'string' || response.statusCode < 200 || response.statusCode >= 300) return;
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) return;
      const tokenHash = hashToken(match[1]!);
      if (!cache.needsTouch(tokenHash)) return;
      tokens
        .touch(tokenHash)
        .then((lastUsedAt) => cache.recordTouch(tokenHash, lastUsedAt))
        .catch((error: unknown) => logger.warn(`lastUsedAt not recorded: ${String(error)}`));
    });
    next();
  };
