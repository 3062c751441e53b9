import { Module } from '@nestjs/common';
import { PaginationModule } from '@app/http';
import { OperatorLogModule } from '../operator-log/operator-log.module.js';
import { AdminController } from './admin.controller.js';
import { AdminService } from './admin.service.js';
import { TokensService } from './tokens.service.js';

@Module({ imports: [OperatorLogModule, PaginationModule], controllers: [AdminController], providers: [AdminService, TokensService], exports: [AdminService, TokensService] })
export class AdminModule {}
