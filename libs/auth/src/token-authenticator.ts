import { Injectable } from '@nestjs/common';
import { UserRepository, type UserRow } from '@app/persistence';
import { tooManyRequests, unauthenticated } from '@app/problems';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { TokenCache } from './token-cache.js';
import { hashToken } from './token.util.js';

/** The 401 detail for an expired token: clients (the web app) tell it apart from an unknown one. */
export const TOKEN_EXPIRED = 'the token has expired';

/**
 * The one place a presented token is checked: the user holding it, else 401 — or 429 once
 * the address has sent more wrong tokens than the limit allows this minute. A live token is
 * served from the TokenCache while it is in use; a wrong one is always looked up.
 */
@Injectable()
export class TokenAuthenticator {
  constructor(
    private readonly users: UserRepository,
    private readonly limiter: AuthFailureLimiter,
    private readonly cache: TokenCache,
  ) {}

  /** A missing token is 401 and not counted; `challenges` are sent before the Bearer one. */
  async authenticate(token: string | undefined, address: string, challenges: string[] = []): Promise<UserRow> {
    if (!token) throw unauthenticated(undefined, { challenges });
    const tokenHash = hashToken(token);
    const cached = this.cache.get(tokenHash);
    if (cached) return cached;
    const generation = this.cache.generation;
    const holder = await this.users.findByTokenHash(tokenHash);
    if (holder) {
      this.cache.set(tokenHash, holder, generation);
      return holder.user;
    }
    const expired = await this.users.hasExpiredToken(tokenHash);
    return this.refuse(address, challenges, expired ? TOKEN_EXPIRED : undefined);
  }

  /** A wrong token that names no user (a wrong metrics token): counted like any other. */
  async refuse(address: string, challenges: string[] = [], detail = 'the token is unknown or revoked'): Promise<never> {
    const retryAfter = await this.limiter.recordFailure(address);
    if (retryAfter !== null) throw tooManyRequests(retryAfter);
    throw unauthenticated(detail, { invalidToken: true, challenges });
  }
}
