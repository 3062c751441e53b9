import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@app/auth';
import type { UserRow } from '@app/persistence';
import { issuedTokenSchema, tokenPageSchema } from '../admin/dto/admin.responses.js';
import { issueTokenSchema } from '../admin/dto/token.dto.js';
import { TokensService, tokenListQuerySchema } from '../admin/tokens.service.js';
import { ApiJson, ApiProblems, ApiQueryFrom, openApiSchema } from '../common/openapi.decorators.js';

/** Self-service tokens: any user lists, creates and revokes its own. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me/tokens')
export class MeTokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @ApiOperation({ operationId: 'listMyTokens', summary: "The caller's own tokens, newest first, never a secret" })
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
    description: 'Without `expiresAt` it expires after TOKEN_TTL_DAYS. Ignores Idempotency-Key. An admin\'s own tokens are logged in the operator log.',
  })
  @ApiBody({ schema: openApiSchema(issueTokenSchema, 'input') })
  @ApiJson(201, issuedTokenSchema, 'the token, shown once')
  @ApiProblems(400, 401)
  async create(@Body() body: unknown, @CurrentUser() user: UserRow) {
    return this.tokens.issueOwn(user, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeMyToken', summary: "Revoke one of the caller's own tokens (another's id is 404)" })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiProblems(401, 404)
  async revoke(@Param('id') id: string, @CurrentUser() user: UserRow): Promise<void> {
    await this.tokens.revokeOwn(user, id);
  }
}
