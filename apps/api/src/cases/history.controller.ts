import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, CurrentUser } from '@app/auth';
import { CaseHistoryQuery, historyQuerySchema } from '@app/cases';
import { Roles, type UserActor } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { chainVerificationSchema, historyPageSchema } from './dto/case.responses.js';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases/:id/history')
@AllowRoles(Roles.developer, Roles.auditor, Roles.regulator)
export class HistoryController {
  constructor(private readonly history: CaseHistoryQuery) {}

  @Get()
  @ApiOperation({
    operationId: 'getHistory',
    summary: 'The hash-chained history, ascending by seq',
    description: 'Readers of the case. Every transition and self-transition, ascending by `seq`, each with `prevHash` and `hash` (SHA-256 of the RFC 8785 form of the row without `hash`). Keyset paginated.',
  })
  @ApiQueryFrom(historyQuerySchema)
  @ApiJson(200, historyPageSchema)
  @ApiProblems(400, 401, 403, 404)
  async list(@Param('id') id: string, @Query() query: unknown, @CurrentUser() user: UserActor) {
    return this.history.page(user, id, query);
  }

  @Get('verify')
  @ApiOperation({
    operationId: 'verifyHistory',
    summary: 'Recompute the chain and check it ends at the stored head',
    description: 'Readers of the case. Recomputes every row\'s hash and link, checks that the chain ends at the head stored on the case, and names the first bad `seq`.',
  })
  @ApiJson(200, chainVerificationSchema, 'firstBadSeq is null when valid')
  @ApiProblems(401, 403, 404)
  async verify(@Param('id') id: string, @CurrentUser() user: UserActor) {
    return this.history.verify(user, id);
  }
}
