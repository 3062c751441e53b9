import { Global, Module } from '@nestjs/common';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { TokenAuthenticator } from './token-authenticator.js';

/** Token checking and the wrong-token limiter, for the guards and the queue dashboard. */
@Global()
@Module({ providers: [AuthFailureLimiter, TokenAuthenticator], exports: [AuthFailureLimiter, TokenAuthenticator] })
export class AuthModule {}
