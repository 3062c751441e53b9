import { Module } from '@nestjs/common';
import { PaginationModule } from '@app/http';
import { RegistryPublisherService } from './registry-publisher.service.js';
import { RegistryQuery } from './registry.query.js';

const PROVIDERS = [RegistryPublisherService, RegistryQuery];

/** The public registry: the worker publishes and signs, the api reads; needs PersistenceModule. */
@Module({ imports: [PaginationModule], providers: PROVIDERS, exports: PROVIDERS })
export class RegistryModule {}
