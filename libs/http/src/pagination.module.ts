import { Module } from '@nestjs/common';
import { CursorKeyProvider } from './cursor-key.provider.js';
import { Paginator } from './paginator.service.js';

/** The Paginator and its key; needs ConfigModule and PersistenceModule (both global). */
@Module({ providers: [CursorKeyProvider, Paginator], exports: [Paginator] })
export class PaginationModule {}
