import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { decodeCursor, encodeCursor, pageSchema, parseQuery, queryFingerprint } from '@app/cases';
import { publicKeyJwk } from '@app/integrity';
import { RegistryRepository } from '@app/persistence';
import { notFound } from '@app/problems';
import { ApiJson, ApiProblems, ApiQueryFrom, PublicRoute } from '../common/openapi.decorators.js';
import { publicKeysSchema, registryPageSchema, registryRecordSchema } from './dto/registry.responses.js';

const registryQuerySchema = z.strictObject({
  model: z.string().min(1).max(500).optional().meta({ description: 'only records of this model name' }),
  caseId: z.uuid().optional().meta({ description: 'only records of this case' }),
  ...pageSchema,
});

const UUID = z.uuid();

/** The public registry: signed records and checkpoints anyone can verify offline with the keys. No token. */
@ApiTags('public')
@Controller('v1/public')
@PublicRoute()
export class RegistryController {
  constructor(private readonly registry: RegistryRepository) {}

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
    const q = parseQuery(registryQuerySchema, query);
    const fingerprint = `registry:${queryFingerprint({ model: q.model, caseId: q.caseId })}`;
    const after = decodeCursor(q.cursor, fingerprint);
    const [rows, checkpoint] = await Promise.all([
      this.registry.page({ model: q.model, caseId: q.caseId }, after ? [after[0] ?? '', after[1]] : null, q.limit + 1),
      this.registry.latestCheckpoint(),
    ]);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => r.document),
      nextCursor: rows.length > q.limit && last ? encodeCursor(fingerprint, [last.publishedAt, last.id]) : null,
      checkpoint: checkpoint?.document ?? null,
    };
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
    const record = UUID.safeParse(id).success ? await this.registry.findRecord(id) : null;
    if (!record) throw notFound('no such registry record');
    return record;
  }

  @Get('keys')
  @ApiOperation({
    operationId: 'listPublicKeys',
    summary: 'Every registry signing key ever used, as a JWK Set (OKP/Ed25519)',
    description: 'No token. A JWK Set with every key that ever signed a record or checkpoint, so records signed before a key rotation stay verifiable.',
  })
  @ApiJson(200, publicKeysSchema)
  async keys() {
    const keys = await this.registry.publicKeys();
    return { keys: keys.map((k) => publicKeyJwk(k.publicKeyPem)) };
  }
}
