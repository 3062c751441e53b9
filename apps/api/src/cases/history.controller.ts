import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AllowRoles, CurrentUser } from '@app/auth';
import { CaseAccessService, decodeCursor, encodeCursor, pageSchema, parseQuery } from '@app/cases';
import { verifyChain } from '@app/integrity';
import { HistoryRepository } from '@app/persistence';
import { Roles, type UserActor } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { chainVerificationSchema, historyPageSchema } from './dto/case.responses.js';

const historyQuerySchema = z.strictObject(pageSchema);

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases/:id/history')
@AllowRoles(Roles.developer, Roles.auditor, Roles.regulator)
export class HistoryController {
  constructor(
    private readonly access: CaseAccessService,
    private readonly history: HistoryRepository,
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
    const row = await this.access.readable(user, id);
    const q = parseQuery(historyQuerySchema, query);
    const fingerprint = `history:${row.id}`;
    const after = decodeCursor(q.cursor, fingerprint);
    const items = await this.history.page(row.id, after ? Number(after[0]) : 0, q.limit + 1);
    const page = items.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page,
      nextCursor: items.length > q.limit && last ? encodeCursor(fingerprint, [String(last.seq), row.id]) : null,
    };
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
    const row = await this.access.readable(user, id);
    const items = await this.history.all(row.id);
    return verifyChain(row.id, items, { headHash: row.headHash, lastSeq: row.lastSeq });
  }
}
