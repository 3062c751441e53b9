import { Module } from '@nestjs/common';
import { PaginationModule } from '@app/http';
import { WitnessAlertRepository } from '@app/persistence';
import { WitnessAlertsController } from './witness-alerts.controller.js';
import { WitnessAlertsQuery } from './witness-alerts.query.js';

/** Only the api reads the witness's alerts, so their repository is provided here. */
@Module({ imports: [PaginationModule], controllers: [WitnessAlertsController], providers: [WitnessAlertRepository, WitnessAlertsQuery] })
export class WitnessAlertsApiModule {}
