import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { parseQuery } from '@app/http';
import { RegistryQuery, registryQuerySchema } from '@app/registry';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { publicKeysSchema, registryPageSchema, registryRecordSchema } from './dto/registry.responses.js';

/** The public registry: signed records and checkpoints anyone can verify offline with the keys. No token. */
@ApiTags('public')
@Controller('v1/public')
@Public()
export class RegistryController {
  constructor(private readonly registry: RegistryQuery) {}

  @Get('registry')
  @ApiOperation({ operationId: 'listRegistryRecords', summary: 'Signed registry records, newest first, with the latest signed checkpoint' })
  @ApiQueryFrom(registryQuerySchema)
  @ApiJson(200, registryPageSchema)
  @ApiProblems(400)
  async list(@Query() query: unknown) {
    return this.registry.page(parseQuery(registryQuerySchema, query));
  }

  @Get('registry/:id')
  @ApiOperation({ operationId: 'getRegistryRecord', summary: 'One signed registry record' })
  @ApiJson(200, registryRecordSchema)
  @ApiProblems(404)
  async get(@Param('id') id: string) {
    return this.registry.record(id);
  }

  @Get('keys')
  @ApiOperation({ operationId: 'listPublicKeys', summary: 'Every registry signing key ever used, as a JWK Set (OKP/Ed25519)' })
  @ApiJson(200, publicKeysSchema)
  async keys() {
    return this.registry.keys();
  }
}
