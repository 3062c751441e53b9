import { Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { LineageController, PublicLineageController } from './lineage.controller.js';

@Module({ imports: [CasesModule], controllers: [LineageController, PublicLineageController] })
export class LineageApiModule {}
