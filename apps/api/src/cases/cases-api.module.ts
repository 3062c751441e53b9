import { Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { AuditorsController } from './auditors.controller.js';
import { CasesController } from './cases.controller.js';
import { HistoryController } from './history.controller.js';
import { QueuesController } from './queues.controller.js';
import { RedactionsController } from './redactions.controller.js';

@Module({
  imports: [CasesModule],
  controllers: [CasesController, HistoryController, AuditorsController, QueuesController, RedactionsController],
})
export class CasesApiModule {}
