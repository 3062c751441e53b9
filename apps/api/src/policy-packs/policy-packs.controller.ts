import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { policyPackJsonSchema } from '@app/policy';
import { ApiJson, ApiProblems } from '../common/openapi.decorators.js';
import { jsonSchemaDocument, policyPackDocumentSchema, policyPackListSchema } from './dto/policy-packs.responses.js';
import { PolicyPacksQuery } from './policy-packs.query.js';

@ApiTags('policy-packs')
@ApiBearerAuth()
@Controller('v1/policy-packs')
export class PolicyPacksController {
  constructor(private readonly packs: PolicyPacksQuery) {}

  @Get()
  @ApiOperation({
    operationId: 'listPolicyPacks',
    summary: 'Every published pack version',
    description: 'Any user. Every published version of every pack as `{ref, id, version, title, publishedAt}`; `ref` (`<id>@<version>`) is what `POST /v1/cases` takes as `policyPack`. One page: `nextCursor` is always null.',
  })
  @ApiJson(200, policyPackListSchema)
  @ApiProblems(401)
  async list() {
    return this.packs.list();
  }

  @Get('schema')
  @ApiOperation({
    operationId: 'getPolicyPackSchema',
    summary: 'The JSON Schema every policy pack document validates against',
    description: 'Any user. The JSON Schema (draft 2020-12) that `POST /v1/admin/policy-packs` validates a pack document against.',
  })
  @ApiJson(200, jsonSchemaDocument, 'a JSON Schema (draft 2020-12)')
  @ApiProblems(401)
  schema() {
    return policyPackJsonSchema;
  }

  @Get(':id/versions/:version')
  @ApiOperation({
    operationId: 'getPolicyPack',
    summary: 'A published pack document; its JSON Schema is linked (rel=describedby)',
    description: 'Any user. The document exactly as published (a published version never changes); 404 when no such id and version exist.',
  })
  @ApiJson(200, policyPackDocumentSchema, 'the pack document')
  @ApiProblems(401, 404)
  async get(@Param('id') id: string, @Param('version') version: string, @Res({ passthrough: true }) response: Response) {
    const pack = await this.packs.get(id, version);
    response.setHeader('Link', '</v1/policy-packs/schema>; rel="describedby"');
    return pack;
  }
}
