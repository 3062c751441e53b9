import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { parseQuery } from '@app/http';
import { ProblemError } from '@app/problems';
import { CYCLONEDX_MEDIA_TYPE, IMMUTABLE_CACHE_CONTROL, NOT_YET_LOGGED_RETRY_S, RegistryAttestationQuery, RegistryBomQuery, RegistryLogQuery, RegistryQuery, registryQuerySchema } from '@app/registry';
import { ApiJson, ApiProblems, ApiQueryFrom, PublicRoute } from '../common/openapi.decorators.js';
import {
  consistencyProofSchema,
  consistencyQuerySchema,
  dsseEnvelopeSchema,
  inclusionProofSchema,
  publicKeysSchema,
  registryPageSchema,
  registryRecordSchema,
} from './dto/registry.responses.js';
import { logWitnessListSchema } from './dto/log-witnesses.responses.js';

/** Tiles and bundles never change once served (a partial one is its own path): cache them for a year. */
/** The checkpoint changes every second or so. */
const CHECKPOINT_CACHE = 'public, max-age=1';
const TEXT = 'text/plain; charset=utf-8';
const textBody = { content: { 'text/plain': { schema: { type: 'string' } } } };

/** The public registry: signed records and checkpoints anyone can verify offline with the keys. No token. */
@ApiTags('public')
@Controller('v1/public')
@PublicRoute()
export class RegistryController {
  constructor(
    private readonly registry: RegistryQuery,
    private readonly log: RegistryLogQuery,
    private readonly attestations: RegistryAttestationQuery,
    private readonly bomOf: RegistryBomQuery,
  ) {}

  @Get('registry')
  @ApiOperation({
    operationId: 'listRegistryRecords',
    summary: 'Signed registry records, newest first, with the latest signed checkpoint',
    description: 'No token. Published records, newest first, optionally only one model name or one case, or those whose developer or model name contains a text (ignoring case); keyset paginated. `checkpoint` is the note text of the latest signed transparency-log checkpoint (C2SP tlog-checkpoint; null before the first). A record carries `logIndex` once it is in the log.',
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

  @Get('registry/:id/proof')
  @ApiOperation({
    operationId: 'getRegistryRecordProof',
    summary: 'The inclusion proof of a record in the transparency log',
    description: 'No token. `{logIndex, treeSize, inclusionProof, checkpoint}`: the RFC 9162 inclusion proof (standard base64 hashes) of the record\'s log entry against the latest checkpoint, whose signed note text is `checkpoint`. 409 `not-yet-logged` with `Retry-After` until a checkpoint covers the record; 404 for an unknown id.',
  })
  @ApiJson(200, inclusionProofSchema)
  @ApiProblems(404, 409)
  async proof(@Param('id') id: string, @Res({ passthrough: true }) response: Response) {
    try {
      return await this.log.proof(id);
    } catch (error) {
      if (error instanceof ProblemError && error.slug === 'not-yet-logged') response.setHeader('Retry-After', String(NOT_YET_LOGGED_RETRY_S));
      throw error;
    }
  }

  @Get('registry/:id/attestation')
  @ApiOperation({
    operationId: 'getRegistryRecordAttestation',
    summary: 'The record\'s release decision as a signed in-toto attestation of the weights',
    description: 'No token. A DSSE envelope (`payloadType` `application/vnd.in-toto+json`, standard base64) whose payload is an in-toto Statement v1: subject `<model>@<version>` with the model version\'s `checkpointSha256` as its SHA-256 digest, predicate type `https://clearance.example/registry/release-decision/v1` (docs/registry.md), the record\'s decision as predicate. `sig` is Ed25519 over DSSE\'s PAE with the registry key whose JWK `kid` is `keyid`. A later revocation, hold or reassessment is a later record with its own attestation. 404 for an unknown record or one whose model version has no `checkpointSha256`.',
  })
  @ApiJson(200, dsseEnvelopeSchema)
  @ApiProblems(404)
  async attestation(@Param('id') id: string) {
    return this.attestations.attestation(id);
  }

  @Get('registry/:id/bom')
  @ApiOperation({
    operationId: 'getRegistryRecordBom',
    summary: 'A record as a CycloneDX 1.7 ML-BOM',
    description: 'No token. The record as CycloneDX 1.7 JSON that validates against the 1.7 schema: `metadata.component` is the model (`machine-learning-model`, its SHA-256) with its base models as `pedigree.ancestors` (a published one by its record, one never published by its model version id only, an external one by its origin; `clearance:relation` names the relation), one component per MOF component with `clearance:release` and, when gated, `clearance:gating.criteria` and `clearance:gating.approval`, and `declarations`: the audit firms as third-party assessors, each opinion an attestation (`<kind> opinion, <assurance> assurance`, its basis as the rationale). 404 for an unknown id.',
  })
  @ApiResponse({ status: 200, description: 'the BOM', content: { [CYCLONEDX_MEDIA_TYPE]: { schema: { type: 'object', description: 'a CycloneDX 1.7 BOM' } } } })
  @ApiProblems(404)
  async bom(@Param('id') id: string, @Res() response: Response): Promise<void> {
    const bom = await this.bomOf.execute(id);
    response.setHeader('Content-Type', CYCLONEDX_MEDIA_TYPE);
    response.end(JSON.stringify(bom));
  }

  @Get('registry/:id/texts/:sha256')
  @ApiOperation({
    operationId: 'getRegistryRecordText',
    summary: 'A long text of a record, published in it by hash',
    description: 'No token. A text longer than 2,000 characters is published in the record as `{sha256, length}`; this answers the text itself (UTF-8), whose SHA-256 is `sha256`.',
  })
  @ApiResponse({ status: 200, description: 'the text', ...textBody })
  @ApiProblems(404)
  async text(@Param('id') id: string, @Param('sha256') sha256: string, @Res() response: Response): Promise<void> {
    const text = await this.log.text(id, sha256);
    response.setHeader('Content-Type', TEXT);
    response.setHeader('Cache-Control', IMMUTABLE_CACHE_CONTROL);
    response.end(text);
  }

  @Get('log/checkpoint')
  @ApiOperation({
    operationId: 'getLogCheckpoint',
    summary: 'The latest signed checkpoint of the registry log',
    description: 'No token. A C2SP tlog-checkpoint as a signed note: origin, tree size and base64 RFC 6962 root, a blank line, then a signature line per signer: the log\'s, then each witness cosignature (C2SP tlog-cosignature) received for it so far. Verify it with the key at `/v1/public/log/key` and the witness keys at `/v1/public/log/witnesses`. 404 before the first checkpoint.',
  })
  @ApiResponse({ status: 200, description: 'the signed note', ...textBody })
  @ApiProblems(404)
  async checkpoint(@Res() response: Response): Promise<void> {
    const note = await this.log.checkpoint();
    response.setHeader('Content-Type', TEXT);
    response.setHeader('Cache-Control', CHECKPOINT_CACHE);
    response.end(note);
  }

  @Get('log/key')
  @ApiOperation({
    operationId: 'getLogVerifierKey',
    summary: 'The C2SP verifier key of the registry log',
    description: 'No token. `<origin>+<hex key id>+<base64(0x01 ‖ Ed25519 public key)>` (C2SP signed-note): the key that signs the log\'s checkpoints.',
  })
  @ApiResponse({ status: 200, description: 'the verifier key', ...textBody })
  async verifierKey(@Res() response: Response): Promise<void> {
    const key = await this.log.verifierKey();
    response.setHeader('Content-Type', TEXT);
    response.end(key);
  }

  @Get('log/witnesses')
  @ApiOperation({
    operationId: 'listLogWitnesses',
    summary: 'The witnesses whose cosignatures the checkpoint carries',
    description: 'No token. `[{name, verifierKey}]` of the witnesses on the newest cosigned checkpoint (C2SP tlog-cosignature, cosignature/v1 keys); empty before any witness cosigned. Pin these keys out of band before trusting them.',
  })
  @ApiJson(200, logWitnessListSchema)
  async witnesses() {
    return this.log.witnesses();
  }

  @Get('log/consistency')
  @ApiOperation({
    operationId: 'getLogConsistencyProof',
    summary: 'An RFC 9162 consistency proof between two tree sizes',
    description: 'No token. `{from, to, proof}` (standard base64 hashes) proving the tree of size `from` is a prefix of the tree of size `to`; 400 unless 0 ≤ from ≤ to ≤ the latest checkpoint\'s size; `proof` is empty when `from` is 0 or equals `to`.',
  })
  @ApiQueryFrom(consistencyQuerySchema)
  @ApiJson(200, consistencyProofSchema)
  @ApiProblems(400)
  async consistency(@Query() query: unknown) {
    const { from, to } = parseQuery(consistencyQuerySchema, query);
    return this.log.consistency(from, to);
  }

  @Get('log/tile/*path')
  @ApiOperation({
    operationId: 'getLogTile',
    summary: 'A C2SP tlog-tiles hash tile or entry bundle',
    description: 'No token. `tile/<L>/<N>[.p/<W>]`: the hashes at Merkle level 8·L, 32 bytes each; `tile/entries/<N>[.p/<W>]`: the entries, each prefixed by its big-endian uint16 length. `N` is path-encoded (`x001/x234/067`), `W` the width of a partial tile. Immutable and cached for a year; 404 for a tile beyond the latest checkpoint.',
  })
  @ApiParam({ name: 'path', description: '`<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]`', schema: { type: 'string' } })
  @ApiResponse({ status: 200, description: 'the tile bytes', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(404)
  async tile(@Param('path') path: string | string[], @Res() response: Response): Promise<void> {
    const data = await this.log.tile(`tile/${Array.isArray(path) ? path.join('/') : path}`);
    response.setHeader('Content-Type', 'application/octet-stream');
    response.setHeader('Cache-Control', IMMUTABLE_CACHE_CONTROL);
    response.end(data);
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
