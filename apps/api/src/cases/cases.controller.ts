import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AllowRoles, CurrentUser } from '@app/auth';
import {
  CaseAccessService,
  CaseTransitionService,
  CaseViewService,
  CreateCaseUseCase,
  ListCasesUseCase,
  PatchModelUseCase,
  UpdateAssessmentUseCase,
  UploadEvidenceUseCase,
  createCaseSchema,
  parseEventBody,
  patchModelSchema,
  type UploadedFile as EvidenceFile,
} from '@app/cases';
import { EVIDENCE_MAX_BYTES } from '@app/evidence';
import { canonicalJson, sha256Hex } from '@app/integrity';
import { assessmentSchema } from '@app/policy';
import { EvidenceRepository } from '@app/persistence';
import { notFound } from '@app/problems';
import { EVENT_TYPES, Roles, type UserActor } from '@app/workflow';
import { IdempotencyService } from '../common/idempotency.service.js';
import { etagOf, parseIfMatch, send } from '../common/http.util.js';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
@AllowRoles(Roles.developer, Roles.auditor, Roles.regulator)
export class CasesController {
  constructor(
    private readonly access: CaseAccessService,
    private readonly view: CaseViewService,
    private readonly transition: CaseTransitionService,
    private readonly createCase: CreateCaseUseCase,
    private readonly listCases: ListCasesUseCase,
    private readonly updateAssessment: UpdateAssessmentUseCase,
    private readonly patchModel: PatchModelUseCase,
    private readonly uploadEvidence: UploadEvidenceUseCase,
    private readonly evidence: EvidenceRepository,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @AllowRoles(Roles.developer)
  @ApiOperation({ summary: 'Open a case for a model version (pins the latest caip-2025 unless policyPack names one)' })
  @ApiBody({ schema: jsonSchema(createCaseSchema) })
  async create(@Body() body: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const command = CreateCaseUseCase.parse(body);
    const result = await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body)), async (db) => {
      const row = await this.createCase.execute(command, user, db);
      return { status: 201, body: await this.view.render(row, user, db), etag: etagOf(row.version) };
    });
    response.setHeader('Location', `/v1/cases/${(result.body as { id: string }).id}`);
    return send(response, result);
  }

  @Get()
  @ApiOperation({ summary: 'Cases the caller may read, newest first (keyset paginated)' })
  async list(@Query() query: unknown, @CurrentUser() user: UserActor) {
    return this.listCases.execute(this.access.scopeOf(user), query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One case, with the caller’s allowedEvents; ETag is its version' })
  async get(@Param('id') id: string, @CurrentUser() user: UserActor, @Res({ passthrough: true }) response: Response) {
    const row = await this.access.readable(user, id);
    response.setHeader('ETag', etagOf(row.version));
    return this.view.render(row, user);
  }

  @Put(':id/assessment')
  @AllowRoles(Roles.developer)
  @ApiOperation({ summary: 'Replace the working assessment (draft or changes_requested)' })
  @ApiBody({ schema: jsonSchema(assessmentSchema) })
  async putAssessment(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.access.readable(user, id);
    const document = UpdateAssessmentUseCase.parse(body);
    const result = await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body ?? null)), async (db) => {
      const row = await this.updateAssessment.execute(id, document, user, parseIfMatch(request), db);
      return { status: 200, body: await this.view.render(row, user, db), etag: etagOf(row.version) };
    });
    return send(response, result);
  }

  @Patch(':id/model')
  @AllowRoles(Roles.developer)
  @ApiOperation({ summary: 'Set the model version’s checkpoint hash or lineage (draft or changes_requested)' })
  @ApiBody({ schema: jsonSchema(patchModelSchema) })
  async patchModelVersion(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.access.readable(user, id);
    const patch = PatchModelUseCase.parse(body);
    const result = await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body ?? null)), async (db) => {
      const row = await this.patchModel.execute(id, patch, user, parseIfMatch(request), db);
      return { status: 200, body: await this.view.render(row, user, db), etag: etagOf(row.version) };
    });
    return send(response, result);
  }

  @Post(':id/events')
  @HttpCode(200)
  @ApiOperation({ summary: 'Fire a workflow event: {type, ...payload}' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string', enum: [...EVENT_TYPES] } },
      additionalProperties: true,
    },
  })
  async fire(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.access.readable(user, id);
    const { type, payload } = parseEventBody(body);
    const result = await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body)), async (db) => {
      const { row } = await this.transition.execute({ caseId: id, actor: user, type, payload, ifMatch: parseIfMatch(request) }, db);
      return { status: 200, body: await this.view.render(row, user, db), etag: etagOf(row.version) };
    });
    return send(response, result);
  }

  @Post(':id/evidence')
  @AllowRoles(Roles.developer)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: EVIDENCE_MAX_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({ summary: 'Upload evidence (≤ 25 MiB; PDF, PNG, JPEG, ZIP, JSON, CSV, text, Markdown)' })
  async upload(
    @Param('id') id: string,
    @UploadedFile() file: EvidenceFile | undefined,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.access.readable(user, id);
    const checked = UploadEvidenceUseCase.check(file);
    const result = await this.idempotency.run(request, user.id, checked.sha256, async (db) => {
      const meta = await this.uploadEvidence.execute(id, file!, checked, user, db);
      return { status: 201, body: { id: meta.id, sha256: meta.sha256, size: meta.size, mediaType: meta.mediaType } };
    });
    return send(response, result);
  }

  @Get(':id/evidence/:evidenceId')
  @ApiOperation({ summary: 'Download an evidence file' })
  async download(
    @Param('id') id: string,
    @Param('evidenceId') evidenceId: string,
    @CurrentUser() user: UserActor,
    @Res() response: Response,
  ) {
    const row = await this.access.readable(user, id);
    const file = /^[0-9a-f-]{36}$/i.test(evidenceId) ? await this.evidence.findContent(row.id, evidenceId) : null;
    if (!file) throw notFound();
    response.setHeader('Content-Type', file.mediaType);
    response.setHeader('Content-Length', String(file.size));
    response.setHeader('ETag', `"${file.sha256}"`);
    response.setHeader('Repr-Digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
    response.setHeader('Content-Disposition', `attachment; filename="${(file.filename ?? file.id).replace(/[^\w.-]/g, '_')}"`);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.end(file.content);
  }
}
