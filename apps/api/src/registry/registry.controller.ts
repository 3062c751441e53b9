import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseQuery } from '@app/http';
import { RegistryQuery, registryQuerySchema } from '@app/registry';
import { ApiJson, ApiProblems, ApiQueryFrom, PublicRoute } from '../common/openapi.decorators.js';
import { publicKeysSchema, registryPageSchema, registryRecordSchema } from './dto/registry.responses.js';

/** The public registry: signed records and checkpoints anyone can verify offline with the keys. No token. */
@ApiTags('public')
@Controller('v1/public')
@PublicRoute()
export class RegistryController {
  constructor(private readonly registry: RegistryQuery) {}

  @Get('registry')
  @ApiOperation({
    operationId: 'listRegistryRecords',
    summary: 'Signed registry records, newest first, with the latest signed checkpoint',
    description: 'No token. Published records, newest first, optionally only one model name or one case; keyset paginated. `checkpoint` is the latest signed checkpoint over every case\'s chain head (null before the first).',
  })
  @ApiQueryFrom(registryQuerySchema)
  @ApiJson(200, registryPageSchema)
  @ApiProblems(400)
  async list(@Query() query: unknown) {
    return this.registry.page(parseQuery(registryQuerySchema, query));
  }

  @Get('registry/:id')
  @ApiOperation({
    operationId: 'getRegistryRecord',
    summary: 'One signed registry record',
    description: 'No token. The record as published, signed with Ed25519: verify the signature with the key at `/v1/public/keys` whose `kid` is the record\'s `keyId`. 404 for an unknown or malformed id.',
  })
  @ApiJson(200, registryRecordSchema)
  @ApiProblems(404)
  async get(@Param('id') id: string) {
    return this.registry.record(id);
  }

  @Get('keys')
  @ApiOperation({
    operationId: 'listPublicKeys',
    summary: 'Every registry signing key ever used, as a JWK Set (OKP/Ed25519)',
    description: 'No token. A JWK Set with every key that ever signed a record or checkpoint, so records signed before a key rotation stay verifiable.',
  })
  @ApiJson(200, publicKeysSchema)
  async keys() {
    return this.registry.keys();
  }
}
