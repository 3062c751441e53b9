import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { createDataSource } from './data-source.js';
import { initializeWhenReachable } from './connect.util.js';
import { AssignmentRepository } from './repositories/assignment.repository.js';
import { CaseQueryRepository } from './repositories/case-query.repository.js';
import { CaseViewRepository } from './repositories/case-view.repository.js';
import { CaseStepRepository } from './repositories/case-step.repository.js';
import { CaseRepository } from './repositories/case.repository.js';
import { ConflictRepository } from './repositories/conflict.repository.js';
import { CursorKeyRepository } from './repositories/cursor-key.repository.js';
import { DeadlineRepository } from './repositories/deadline.repository.js';
import { EvidenceRepository } from './repositories/evidence.repository.js';
import { FindingRepository } from './repositories/finding.repository.js';
import { HistoryRepository } from './repositories/history.repository.js';
import { IdempotencyRepository } from './repositories/idempotency.repository.js';
import { IncidentRepository } from './repositories/incident.repository.js';
import { LogCosignatureRepository } from './repositories/log-cosignature.repository.js';
import { ModelVersionRepository } from './repositories/model-version.repository.js';
import { OperatorLogRepository } from './repositories/operator-log.repository.js';
import { OpinionRepository } from './repositories/opinion.repository.js';
import { OrganisationRepository } from './repositories/organisation.repository.js';
import { OutboxRepository } from './repositories/outbox.repository.js';
import { PolicyPackRepository } from './repositories/policy-pack.repository.js';
import { RedactionRepository } from './repositories/redaction.repository.js';
import { ReadSummaryRepository } from './repositories/read-summary.repository.js';
import { RegistryRepository } from './repositories/registry.repository.js';
import { RevisionRepository } from './repositories/revision.repository.js';
import { TransparencyLogRepository } from './repositories/transparency-log.repository.js';
import { CaseHeadsRepository } from './repositories/case-heads.repository.js';
import { TokenRepository } from './repositories/token.repository.js';
import { UserRepository } from './repositories/user.repository.js';
import { NotificationRepository } from './repositories/notification.repository.js';
import { NotificationFanoutRepository } from './repositories/notification-fanout.repository.js';
import { WebhookRepository } from './repositories/webhook.repository.js';

const REPOSITORIES = [
  AssignmentRepository,
  CaseQueryRepository,
  ReadSummaryRepository,
  CaseViewRepository,
  CaseStepRepository,
  CaseRepository,
  ConflictRepository,
  CursorKeyRepository,
  DeadlineRepository,
  EvidenceRepository,
  FindingRepository,
  HistoryRepository,
  IdempotencyRepository,
  IncidentRepository,
  LogCosignatureRepository,
  ModelVersionRepository,
  OperatorLogRepository,
  OpinionRepository,
  OrganisationRepository,
  OutboxRepository,
  PolicyPackRepository,
  RedactionRepository,
  RegistryRepository,
  TransparencyLogRepository,
  CaseHeadsRepository,
  RevisionRepository,
  TokenRepository,
  UserRepository,
  NotificationRepository,
  NotificationFanoutRepository,
  WebhookRepository,
];

@Global()
@Module({
  providers: [
    {
      // api and worker connect as the least-privilege app role, never as the owner (docs/decisions.md).
      provide: DataSource,
      inject: [APP_CONFIG],
      // A process started while Postgres restarts waits for it rather than exiting (found by the soak).
      useFactory: async (config: AppConfig) =>
        initializeWhenReachable(createDataSource(config.DATABASE_APP_URL, [], config.DATABASE_POOL_SIZE, config.DATABASE_NAMED_STATEMENTS, config.DATABASE_CONNECT_TIMEOUT_MS)),
    },
    ...REPOSITORIES,
  ],
  exports: [DataSource, ...REPOSITORIES],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
