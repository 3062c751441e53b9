import { Global, Module } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service.js';

/** HTTP plumbing shared by every feature module. */
@Global()
@Module({ providers: [IdempotencyService], exports: [IdempotencyService] })
export class CommonModule {}
