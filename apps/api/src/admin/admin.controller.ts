import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { AllowRoles, CurrentUser } from '@app/auth';
import { parseBody } from '@app/http';
import { canonicalJson, sha256Hex } from '@app/integrity';
import { policyPackSchema, validatePolicyPack, type PolicyPack } from '@app/policy';
import { Roles, type UserActor } from '@app/workflow';
import { IdempotencyService } from '../common/idempotency.service.js';
import { send } from '../common/http.util.js';
import { ApiJson, ApiProblems, ApiQueryFrom, openApiSchema } from '../common/openapi.decorators.js';
import { createConflictSchema, createOrganisationSchema, createUserSchema } from './admin.dto.js';
import { createdIdSchema, issuedTokenSchema, publishedPackSchema, tokenPageSchema } from './dto/admin.responses.js';
import { MAX_LIVE_TOKENS_PER_USER, issueTokenSchema } from './dto/token.dto.js';
import { AdminService } from './admin.service.js';
import { TokensService, tokenListQuerySchema } from './tokens.service.js';

const BodyOf = (schema: z.ZodType) => ApiBody({ schema: openApiSchema(schema, 'input') });
/** An admin creation: 201 with the new object's id. */
const Created = (schema: z.ZodType = createdIdSchema) => applyDecorators(ApiJson(201, schema, 'created'), ApiProblems(400, 401, 403, 409, 413, 422));

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin')
@AllowRoles(Roles.admin)
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly tokens: TokensService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** Admin creations honour Idempotency-Key like every POST (token creation ignores it). */
  private async created(request: Request, response: Response, user: UserActor, body: unknown, work: (db: EntityManager) => Promise<unknown>) {
    const result = await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body ?? null)), async (db) => ({
      status: 201,
      body: await work(db),
    }));
    return send(response, result);
  }

  @Post('organisations')
  @ApiOperation({
    operationId: 'createOrganisation',
    summary: 'Create an organisation: a developer, an audit firm or a regulator',
    description: 'Admin. 201 with the new organisation\'s `id`. A repeat with the same `Idempotency-Key` and body answers the first response and creates nothing.',
  })
  @BodyOf(createOrganisationSchema)
  @Created()
  async createOrganisation(@Body() body: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const input = parseBody(createOrganisationSchema, body);
    return this.created(request, response, user, body, async (db) => ({ id: (await this.admin.createOrganisation(user, input, db)).id }));
  }

  @Post('users')
  @ApiOperation({
    operationId: 'createUser',
    summary: 'Create a user in an organisation',
    description: 'Admin. The role must match the organisation\'s kind (developer organisation: developer; audit firm: auditor; regulator: regulator), else 400. 201 with the new user\'s `id`; the user holds no token until one is issued. Honours `Idempotency-Key`.',
  })
  @BodyOf(createUserSchema)
  @Created()
  async createUser(@Body() body: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const input = parseBody(createUserSchema, body);
    return this.created(request, response, user, body, async (db) => ({ id: (await this.admin.createUser(user, input, db)).id }));
  }

  @Post('users/:id/tokens')
  @ApiOperation({
    operationId: 'issueToken',
    summary: 'Issue a bearer token for a user; the token is shown once',
    description:
      `Admin. A random opaque bearer token for the user, with an optional \`label\` and \`expiresAt\` (in the future, at most 365 days ahead; default TOKEN_TTL_DAYS from now). Only its hash is stored, so this answer is the one place the secret appears; \`Idempotency-Key\` is ignored, so a retry never replays a secret. Appended to the operator log; a token for another user also lands in that user's inbox (\`TOKEN_ISSUED\`). A user holds at most ${MAX_LIVE_TOKENS_PER_USER} live tokens: past them this is 409 \`too-many-tokens\` until one is revoked or expires.`,
  })
  @BodyOf(issueTokenSchema)
  @ApiJson(201, issuedTokenSchema, 'the token, shown once')
  @ApiProblems(400, 401, 403, 404, 409)
  async issueToken(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: UserActor) {
    return this.tokens.issueByAdmin(user, id, body);
  }

  @Get('users/:id/tokens')
  @ApiOperation({
    operationId: 'listUserTokens',
    summary: "List a user's tokens, newest first",
    description: 'Admin. `{id, label, createdAt, createdBy, expiresAt, lastUsedAt, revokedAt}` of every token the user holds or held; never a secret or its hash. 404 for an unknown user.',
  })
  @ApiQueryFrom(tokenListQuerySchema)
  @ApiJson(200, tokenPageSchema)
  @ApiProblems(400, 401, 403, 404)
  async listTokens(@Param('id') id: string, @Query() query: unknown) {
    return this.tokens.listOfUser(id, query);
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'revokeToken',
    summary: 'Revoke a bearer token',
    description: 'Admin. From now on the token answers 401. 204, also for a token already revoked; 404 for an unknown token. A revocation is appended to the operator log.',
  })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiProblems(401, 403, 404)
  async revokeToken(@Param('id') id: string, @CurrentUser() user: UserActor): Promise<void> {
    await this.tokens.revokeByAdmin(user, id);
  }

  @Post('conflicts')
  @ApiOperation({
    operationId: 'createConflict',
    summary: 'Record a conflict of interest between an audit firm and a developer organisation',
    description: 'Admin. `scope: firm` covers every auditor of the firm, `individual` only `auditorId`; `since` and `until` bound when it is active. No auditor an active conflict covers is ever assigned to that developer\'s cases. 201 with its `id`; honours `Idempotency-Key`.',
  })
  @BodyOf(createConflictSchema)
  @Created()
  async createConflict(@Body() body: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const input = parseBody(createConflictSchema, body);
    return this.created(request, response, user, body, async (db) => ({ id: (await this.admin.createConflict(user, input, db)).id }));
  }

  @Post('policy-packs')
  @ApiOperation({
    operationId: 'publishPolicyPack',
    summary: 'Publish a policy pack version (immutable once published)',
    description: 'Admin. Validates the document against the pack schema (400 listing every problem) and publishes it as `<id>@<version>`; a published version never changes, so publishing one again is 409 `pack-exists`. 201 with its reference.',
  })
  @BodyOf(policyPackSchema)
  @Created(publishedPackSchema)
  async publishPolicyPack(@Body() body: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    // Validated before the idempotency fingerprint, like every admin body: JCS throws on a lone surrogate (a 500).
    const pack = parseBody<PolicyPack>(validatePolicyPack, body);
    return this.created(request, response, user, body, (db) => this.admin.publishPolicyPack(user, pack, db));
  }
}
