import { Global, Module } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service.js';
import { SlowReaders } from './slow-readers.js';

/** HTTP plumbing shared by every feature module. */
@Global()
@Module({ providers: [IdempotencyService, SlowReaders], exports: [IdempotencyService, SlowReaders] })
export class CommonModule {}
