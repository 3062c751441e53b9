import { Injectable } from '@nestjs/common';
import { UserRepository, type UserRow } from '@app/persistence';
import { tooManyRequests, unauthenticated } from '@app/problems';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { hashToken } from './token.util.js';

/**
 * The one place a presented token is checked: the user holding it, else 401 — or 429 once
 * the address has sent more wrong tokens than the limit allows this minute.
 */
@Injectable()
export class TokenAuthenticator {
  constructor(
    private readonly users: UserRepository,
    private readonly limiter: AuthFailureLimiter,
  ) {}

  /** A missing token is 401 and not counted; `challenges` are sent before the Bearer one. */
  async authenticate(token: string | undefined, address: string, challenges: string[] = []): Promise<UserRow> {
    if (!token) throw unauthenticated(undefined, { challenges });
    const user = await this.users.findByTokenHash(hashToken(token));
    if (user) return user;
    return this.refuse(address, challenges);
  }

  /** A wrong token that names no user (a wrong metrics token): counted like any other. */
  async refuse(address: string, challenges: string[] = []): Promise<never> {
    const retryAfter = await this.limiter.recordFailure(address);
    if (retryAfter !== null) throw tooManyRequests(retryAfter);
    throw unauthenticated('the token is unknown or revoked', { invalidToken: true, challenges });
  }
}
