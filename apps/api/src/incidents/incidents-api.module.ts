import { Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { IncidentsController } from './incidents.controller.js';

@Module({ imports: [CasesModule], controllers: [IncidentsController] })
export class IncidentsApiModule {}
