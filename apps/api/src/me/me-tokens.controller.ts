import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@app/auth';
import type { UserRow } from '@app/persistence';
import { issuedTokenSchema, tokenPageSchema } from '../admin/dto/admin.responses.js';
import { MAX_LIVE_TOKENS_PER_USER, issueTokenSchema } from '../admin/dto/token.dto.js';
import { TokensService, tokenListQuerySchema } from '../admin/tokens.service.js';
import { ApiJson, ApiProblems, ApiQueryFrom, openApiSchema } from '../common/openapi.decorators.js';

/** Self-service tokens: any user lists, creates and revokes its own. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me/tokens')
export class MeTokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @ApiOperation({
    operationId: 'listMyTokens',
    summary: "List the caller's own tokens, newest first",
    description: 'Any user, admins included: `{id, label, createdAt, createdBy, expiresAt, lastUsedAt, revokedAt}` of every token it holds or held, including those an admin issued for it; never a secret or its hash.',
  })
  @ApiQueryFrom(tokenListQuerySchema)
  @ApiJson(200, tokenPageSchema)
  @ApiProblems(400, 401)
  async list(@Query() query: unknown, @CurrentUser() user: UserRow) {
    return this.tokens.list(user.id, query);
  }

  @Post()
  @ApiOperation({
    operationId: 'createMyToken',
    summary: 'Create a token for the caller; the token is shown once',
    description:
      `Any user: a new bearer token of its own, with an optional \`label\` and \`expiresAt\` (in the future, at most 365 days ahead; default TOKEN_TTL_DAYS from now). Only its hash is stored; \`Idempotency-Key\` is ignored. An admin's own tokens are appended to the operator log, other users' are not. A user holds at most ${MAX_LIVE_TOKENS_PER_USER} live (unrevoked, unexpired) tokens: past them this is 409 \`too-many-tokens\` until one is revoked or expires.`,
  })
  @ApiBody({ schema: openApiSchema(issueTokenSchema, 'input') })
  @ApiJson(201, issuedTokenSchema, 'the token, shown once')
  @ApiProblems(400, 401, 409)
  async create(@Body() body: unknown, @CurrentUser() user: UserRow) {
    return this.tokens.issueOwn(user, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'revokeMyToken',
    summary: "Revoke one of the caller's own tokens",
    description: "Any user: from now on the token answers 401. 204, also for a token already revoked; another user's token id is 404 like an unknown one.",
  })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiProblems(401, 404)
  async revoke(@Param('id') id: string, @CurrentUser() user: UserRow): Promise<void> {
    await this.tokens.revokeOwn(user, id);
  }
}
