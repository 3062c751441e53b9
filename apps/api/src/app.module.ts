import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthGuard, AuthModule } from '@app/auth';
import { CasesModule } from '@app/cases';
import { ConfigModule, type AppConfig } from '@app/config';
import { MetricsRepository, PersistenceModule } from '@app/persistence';
import { QueueModule } from '@app/queue';
import { RegistryModule } from '@app/registry';
import { AdminModule } from './admin/admin.module.js';
import { CasesApiModule } from './cases/cases-api.module.js';
import { CommonModule } from './common/common.module.js';
import { MediaTypeGuard } from './common/media-type.guard.js';
import { BodySizeGuard } from './common/body-size.guard.js';
import { ProblemFilter } from './common/problem.filter.js';
import { HealthController } from './health/health.controller.js';
import { HealthQuery } from './health/health.query.js';
import { IncidentsApiModule } from './incidents/incidents-api.module.js';
import { LineageApiModule } from './lineage/lineage-api.module.js';
import { MeController } from './me/me.controller.js';
import { MeQuery } from './me/me.query.js';
import { MeTokensController } from './me/me-tokens.controller.js';
import { MetricsController } from './observability/metrics.controller.js';
import { MetricsService } from './observability/metrics.service.js';
import { RequestLoggingModule } from './observability/request-logging.module.js';
import { NotificationsApiModule } from './notifications/notifications-api.module.js';
import { OperatorLogModule } from './operator-log/operator-log.module.js';
import { PolicyPacksController } from './policy-packs/policy-packs.controller.js';
import { PolicyPacksQuery } from './policy-packs/policy-packs.query.js';
import { RegistryController } from './registry/registry.controller.js';
import { StatsApiModule } from './stats/stats.module.js';
import { WitnessAlertsApiModule } from './witness-alerts/witness-alerts.module.js';
import { WorkflowController } from './workflow/workflow.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        RequestLoggingModule.forRoot(config.LOG_LEVEL),
        PersistenceModule,
        QueueModule,
        RegistryModule,
        AuthModule,
        CommonModule,
        // The metrics read the transitions' count through the read summaries.
        CasesModule,
        AdminModule,
        CasesApiModule,
        IncidentsApiModule,
        LineageApiModule,
        NotificationsApiModule,
        OperatorLogModule,
        StatsApiModule,
        WitnessAlertsApiModule,
      ],
      controllers: [HealthController, MeController, MeTokensController, MetricsController, PolicyPacksController, RegistryController, WorkflowController],
      providers: [
        HealthQuery,
        MeQuery,
        MetricsRepository,
        MetricsService,
        PolicyPacksQuery,
        // Global guards run in this order: 413 and 415 come before authentication (SPEC.md).
        { provide: APP_GUARD, useClass: BodySizeGuard },
        { provide: APP_GUARD, useClass: MediaTypeGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
