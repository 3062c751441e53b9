import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AllowRoles } from '@app/auth';
import { parseQuery } from '@app/cases';
import { policyPackJsonSchema } from '@app/policy';
import { Roles } from '@app/workflow';
import { createConflictSchema, createOrganisationSchema, createUserSchema } from './admin.dto.js';
import { AdminService } from './admin.service.js';

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin')
@AllowRoles(Roles.admin)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('organisations')
  @ApiBody({ schema: schemaOf(createOrganisationSchema) })
  async createOrganisation(@Body() body: unknown) {
    const { id } = await this.admin.createOrganisation(parseQuery(createOrganisationSchema, body));
    return { id };
  }

  @Post('users')
  @ApiBody({ schema: schemaOf(createUserSchema) })
  async createUser(@Body() body: unknown) {
    const { id } = await this.admin.createUser(parseQuery(createUserSchema, body));
    return { id };
  }

  @Post('users/:id/tokens')
  @ApiOperation({ summary: 'Issue a bearer token; the token is shown once' })
  async issueToken(@Param('id') id: string) {
    return this.admin.issueToken(id);
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  async revokeToken(@Param('id') id: string): Promise<void> {
    await this.admin.revokeToken(id);
  }

  @Post('conflicts')
  @ApiBody({ schema: schemaOf(createConflictSchema) })
  async createConflict(@Body() body: unknown) {
    const { id } = await this.admin.createConflict(parseQuery(createConflictSchema, body));
    return { id };
  }

  @Post('policy-packs')
  @ApiOperation({ summary: 'Publish a policy pack version (immutable once published)' })
  @ApiBody({ schema: policyPackJsonSchema as Record<string, unknown> })
  async publishPolicyPack(@Body() body: unknown) {
    return this.admin.publishPolicyPack(body);
  }
}
