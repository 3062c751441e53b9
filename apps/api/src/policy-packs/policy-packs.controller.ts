import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { policyPackJsonSchema } from '@app/policy';
import { PolicyPackRepository, iso } from '@app/persistence';
import { notFound } from '@app/problems';

@ApiTags('policy-packs')
@ApiBearerAuth()
@Controller('v1/policy-packs')
export class PolicyPacksController {
  constructor(private readonly packs: PolicyPackRepository) {}

  @Get()
  async list() {
    const rows = await this.packs.list();
    return {
      items: rows.map((r) => ({ ref: `${r.id}@${r.version}`, id: r.id, version: r.version, title: r.title, publishedAt: iso(r.publishedAt) })),
      nextCursor: null,
    };
  }

  @Get('schema')
  @ApiOperation({ summary: 'The JSON Schema every policy pack document validates against' })
  schema() {
    return policyPackJsonSchema;
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'A published pack document; its JSON Schema is linked (rel=describedby)' })
  async get(@Param('id') id: string, @Param('version') version: string, @Res({ passthrough: true }) response: Response) {
    const pack = await this.packs.find(id, version);
    if (!pack) throw notFound(`no policy pack ${id}@${version}`);
    response.setHeader('Link', '</v1/policy-packs/schema>; rel="describedby"');
    return pack;
  }
}
