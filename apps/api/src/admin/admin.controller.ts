import { Body, Controller, Delete, HttpCode, Param, Post, Req, Res, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { AllowRoles, CurrentUser } from '@app/auth';
import { parseBody } from '@app/http';
import { canonicalJson, sha256Hex } from '@app/integrity';
import { policyPackSchema } from '@app/policy';
import { Roles, type UserActor } from '@app/workflow';
import { IdempotencyService } from '../common/idempotency.service.js';
import { send } from '../common/http.util.js';
import { ApiJson, ApiProblems, openApiSchema } from '../common/openapi.decorators.js';
import { createConflictSchema, createOrganisationSchema, createUserSchema } from './admin.dto.js';
import { createdIdSchema, issuedTokenSchema, publishedPackSchema } from './dto/admin.responses.js';
import { AdminService } from './admin.service.js';

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
  @ApiOperation({ operationId: 'createOrganisation' })
  @BodyOf(createOrganisationSchema)
  @Created()
  async createOrganisation(@Body() body: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const input = parseBody(createOrganisationSchema, body);
    return this.created(request, response, user, body, async (db) => ({ id: (await this.admin.createOrganisation(input, db)).id }));
  }

  @Post('users')
  @ApiOperation({ operationId: 'createUser' })
  @BodyOf(createUserSchema)
  @Created()
  async createUser(@Body() body: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const input = parseBody(createUserSchema, body);
    return this.created(request, response, user, body, async (db) => ({ id: (await this.admin.createUser(input, db)).id }));
  }

  @Post('users/:id/tokens')
  @ApiOperation({ operationId: 'issueToken', summary: 'Issue a bearer token; the token is shown once' })
  @ApiJson(201, issuedTokenSchema, 'the token, shown once')
  @ApiProblems(401, 403, 404)
  async issueToken(@Param('id') id: string) {
    return this.admin.issueToken(id);
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeToken' })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiProblems(401, 403, 404)
  async revokeToken(@Param('id') id: string): Promise<void> {
    await this.admin.revokeToken(id);
  }

  @Post('conflicts')
  @ApiOperation({ operationId: 'createConflict' })
  @BodyOf(createConflictSchema)
  @Created()
  async createConflict(@Body() body: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const input = parseBody(createConflictSchema, body);
    return this.created(request, response, user, body, async (db) => ({ id: (await this.admin.createConflict(input, db)).id }));
  }

  @Post('policy-packs')
  @ApiOperation({ operationId: 'publishPolicyPack', summary: 'Publish a policy pack version (immutable once published)' })
  @BodyOf(policyPackSchema)
  @Created(publishedPackSchema)
  async publishPolicyPack(@Body() body: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.created(request, response, user, body, (db) => this.admin.publishPolicyPack(body, db));
  }
}
