import { Module } from '@nestjs/common';
import { PaginationModule } from '@app/http';
import { OperatorLogController } from './operator-log.controller.js';
import { OperatorLogQuery } from './operator-log.query.js';
import { OperatorLogService } from './operator-log.service.js';

/** The operator log: the appender admin actions call in their transaction, and the regulator's routes. */
@Module({ imports: [PaginationModule], controllers: [OperatorLogController], providers: [OperatorLogService, OperatorLogQuery], exports: [OperatorLogService] })
export class OperatorLogModule {}
