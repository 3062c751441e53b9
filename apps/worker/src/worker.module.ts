import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { CasesModule } from '@app/cases';
import { NotificationsModule } from '@app/notifications';
import { ConfigModule, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { QueueModule } from '@app/queue';
import { RegistryModule } from '@app/registry';
import { JobWorkersService } from './job-workers.service.js';
import { OutboxRelayService } from './outbox-relay.service.js';
import { DeadlineProcessor, DeadlineSweepProcessor } from './processors/deadline.processor.js';
import { IntakeProcessor } from './processors/intake.processor.js';
import { JOB_HANDLERS } from './processors/job-handler.js';
import { LineageProcessor } from './processors/lineage.processor.js';
import { NotificationProcessor, WebhookProcessor } from './processors/notification.processor.js';
import {
  RegistryCheckpointLoop,
  RegistryCheckpointProcessor,
  RegistryHeadsLoop,
  RegistryRecordProcessor,
} from './processors/registry.processor.js';
import { RetentionPruner } from './retention-pruner.service.js';
import { WitnessingService } from './witnessing.service.js';

const PROCESSORS = [
  IntakeProcessor,
  DeadlineProcessor,
  DeadlineSweepProcessor,
  LineageProcessor,
  NotificationProcessor,
  WebhookProcessor,
  RegistryRecordProcessor,
  RegistryCheckpointProcessor,
];

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: { level: config.LOG_LEVEL, customProps: () => ({ service: 'worker' }) } }),
        PersistenceModule,
        QueueModule,
        CasesModule,
        RegistryModule,
        NotificationsModule,
      ],
      providers: [
        ...PROCESSORS,
        { provide: JOB_HANDLERS, inject: PROCESSORS, useFactory: (...handlers: unknown[]) => handlers },
        OutboxRelayService,
        JobWorkersService,
        RegistryCheckpointLoop,
        WitnessingService,
        RegistryHeadsLoop,
        RetentionPruner,
      ],
    };
  }
}
