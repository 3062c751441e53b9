import { Global, Module } from '@nestjs/common';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { TokenAuthenticator } from './token-authenticator.js';
import { TokenCache } from './token-cache.js';
import { TokenInvalidationListener } from './token-invalidation.listener.js';

/** Token checking (with its cache and the listener that invalidates it) and the wrong-token limiter, for the guards and the queue dashboard. */
@Global()
@Module({
  providers: [AuthFailureLimiter, TokenAuthenticator, { provide: TokenCache, useFactory: () => new TokenCache() }, TokenInvalidationListener],
  exports: [AuthFailureLimiter, TokenAuthenticator, TokenCache, TokenInvalidationListener],
})
export class AuthModule {}
