import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowRoles, CurrentUser } from '@app/auth';
import { AddRedactionUseCase, CaseAccessService, RedactionsQuery, addRedactionSchema } from '@app/cases';
import { parseBody } from '@app/http';
import { canonicalJson, sha256Hex } from '@app/integrity';
import { Roles, type UserActor } from '@app/workflow';
import { IdempotencyService } from '../common/idempotency.service.js';
import { etagOf, parseIfMatch, send } from '../common/http.util.js';
import { ApiJson, ApiProblems, IdempotencyKey, IfMatch, openApiSchema, WriteProblems } from '../common/openapi.decorators.js';
import { redactionAddedSchema, withheldValuesSchema } from './dto/redaction.responses.js';

/** Redactions of a case's public records (SPEC "Redactions"): a regulator withholds, readers see what was withheld. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases/:id/redactions')
export class RedactionsController {
  constructor(
    private readonly access: CaseAccessService,
    private readonly add: AddRedactionUseCase,
    private readonly redactions: RedactionsQuery,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @AllowRoles(Roles.regulator)
  @ApiOperation({
    operationId: 'addRedaction',
    summary: 'Withhold a field from the case’s future public records',
    description:
      'Regulator. `path` is one of `$.opinions[*].basis`, `$.opinions[*].conditions[*].text`, `$.model.baseModels[*].external.origin`; `reason` one of `security`, `commercial`, `personal`. Every registry record of the case published afterwards has each matching value replaced by null and listed in its `redactions` with a salted commitment; records already published never change. A `REDACTION_ADDED` row in the case’s history; 409 `already-redacted` when the case already withholds the path. 201 with the case’s new `ETag`. Honours `Idempotency-Key`.',
  })
  @ApiBody({ schema: openApiSchema(addRedactionSchema, 'input') })
  @IfMatch
  @IdempotencyKey
  @ApiJson(201, redactionAddedSchema, 'the redaction; ETag is the case’s new version')
  @WriteProblems
  async addRedaction(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.access.readable(user, id);
    const command = parseBody(addRedactionSchema, body);
    const result = await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body)), async (db) => {
      const locked = await this.access.lockReadable(user, id, db);
      const { row, seq } = await this.add.execute(locked, command, user, parseIfMatch(request), db);
      return { status: 201, body: { caseId: row.id, path: command.path, reason: command.reason, seq }, etag: etagOf(row.version) };
    });
    return send(response, result);
  }

  @Get()
  @AllowRoles(Roles.developer, Roles.auditor, Roles.regulator)
  @ApiOperation({
    operationId: 'listWithheldValues',
    summary: 'What the case’s public records withheld: the salt and value behind each commitment',
    description:
      'Readers of the case; anyone else gets 404. One item per value a published record withheld, in publication order: SHA-256 of the RFC 8785 JSON of `{salt, value}` is the `commitment` the record lists for `path`.',
  })
  @ApiJson(200, withheldValuesSchema)
  @ApiProblems(401, 403, 404)
  async list(@Param('id') id: string, @CurrentUser() user: UserActor) {
    return this.redactions.list(user, id);
  }
}
