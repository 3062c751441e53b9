import { Module } from '@nestjs/common';
import { GetStatsUseCase } from '@app/cases';
import { StatsRepository } from '@app/persistence';
import { StatsController } from './stats.controller.js';

/** Only the api reads statistics, so their repository and use case are provided here, not in the shared modules. */
@Module({ controllers: [StatsController], providers: [StatsRepository, GetStatsUseCase] })
export class StatsApiModule {}
