import { Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { REPORT_RENDERER_DEFAULTS, ReportRenderer, reportProcessFile } from '@app/reports';
import { UploadsInFlight } from '../common/upload-slots.interceptor.js';
import { AuditorsController } from './auditors.controller.js';
import { CasesController } from './cases.controller.js';
import { HistoryController } from './history.controller.js';
import { QueuesController } from './queues.controller.js';
import { RedactionsController } from './redactions.controller.js';

@Module({
  imports: [CasesModule],
  controllers: [CasesController, HistoryController, AuditorsController, QueuesController, RedactionsController],
  // Model reports are drawn in a process of their own, off the event loop (docs/decisions.md, "Exports").
  providers: [{ provide: ReportRenderer, useFactory: () => new ReportRenderer({ processFile: reportProcessFile(), ...REPORT_RENDERER_DEFAULTS }) }, UploadsInFlight],
  // The metrics show the reports' backlog and the uploads in flight.
  exports: [ReportRenderer, UploadsInFlight],
})
export class CasesApiModule {}
