import { Module } from '@nestjs/common';
import { CasesModule, GetStatsQuery } from '@app/cases';
import { StatsRepository } from '@app/persistence';
import { StatsController } from './stats.controller.js';

/** Only the api reads statistics, so their repository and query are provided here, not in the shared modules. */
@Module({ imports: [CasesModule], controllers: [StatsController], providers: [StatsRepository, GetStatsQuery] })
export class StatsApiModule {}
