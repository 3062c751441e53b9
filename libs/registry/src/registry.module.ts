import { Module } from '@nestjs/common';
import { PaginationModule } from '@app/http';
import { RegistryPublisherService } from './registry-publisher.service.js';
import { RegistryBomQuery } from './registry-bom.query.js';
import { RegistryQuery } from './registry.query.js';
import { RegistryAttestationQuery } from './registry-attestation.query.js';
import { LogCheckpointSigner } from './log/log-checkpoint-signer.service.js';
import { LogSequencer } from './log/log-sequencer.service.js';
import { LogTileStore } from './log/log-tile-store.service.js';
import { LogWitnessingService } from './log/log-witnessing.service.js';
import { RegistryLogQuery } from './log/registry-log.query.js';
import { RegistrySigningKeyService } from './log/registry-signing-key.service.js';
import { HeadsEntryService } from './heads/heads-entry.service.js';
import { HeadsProofQuery } from './heads/heads-proof.query.js';

const PROVIDERS = [
  RegistryPublisherService,
  RegistryQuery,
  RegistryAttestationQuery,
  RegistryBomQuery,
  RegistryLogQuery,
  RegistrySigningKeyService,
  LogSequencer,
  LogTileStore,
  LogCheckpointSigner,
  LogWitnessingService,
  HeadsEntryService,
  HeadsProofQuery,
];

/** The public registry: the worker publishes and signs, the api reads; needs PersistenceModule. */
@Module({ imports: [PaginationModule], providers: PROVIDERS, exports: PROVIDERS })
export class RegistryModule {}
