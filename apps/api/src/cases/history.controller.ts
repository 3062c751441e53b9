import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, CurrentUser } from '@app/auth';
import type { Response } from 'express';
import { CaseHistoryProofQuery, CaseHistoryQuery, historyQuerySchema } from '@app/cases';
import { ProblemError } from '@app/problems';
import { NOT_YET_LOGGED_RETRY_S } from '@app/registry';
import { Roles, type UserActor } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { chainVerificationSchema, historyPageSchema, historyProofSchema } from './dto/case.responses.js';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases/:id/history')
@AllowRoles(Roles.developer, Roles.auditor, Roles.regulator)
export class HistoryController {
  constructor(
    private readonly history: CaseHistoryQuery,
    private readonly historyProof: CaseHistoryProofQuery,
  ) {}

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

  @Get('proof')
  @ApiOperation({
    operationId: 'getHistoryProof',
    summary: 'The case\'s head in the latest heads entry of the transparency log',
    description: 'Readers of the case. `{head, headsEntry, headsIndex, headsInclusion, logInclusion, checkpoint}`: the case\'s chain head as of the latest `heads` log entry, its leaf `JCS({caseIdHash, seq, hash})` at `headsIndex` of that entry\'s heads tree (proof in hex) and the entry at `headsEntry.logIndex` of the log under the latest signed checkpoint (proof in base64). Verify with `npx clearance-verify history`. 409 `not-yet-logged` with `Retry-After` until a heads entry and a checkpoint cover the case.',
  })
  @ApiJson(200, historyProofSchema)
  @ApiProblems(401, 403, 404, 409)
  async proof(@Param('id') id: string, @CurrentUser() user: UserActor, @Res({ passthrough: true }) response: Response) {
    try {
      return await this.historyProof.execute(user, id);
    } catch (error) {
      if (error instanceof ProblemError && error.slug === 'not-yet-logged') response.setHeader('Retry-After', String(NOT_YET_LOGGED_RETRY_S));
      throw error;
    }
  }
}
