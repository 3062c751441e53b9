import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { EntityManager } from 'typeorm';
import { AllowRoles, CurrentUser } from '@app/auth';
import {
  CASE_CSV_COLUMNS,
  CaseAccessService,
  CaseReportQuery,
  CaseTransitionService,
  CaseViewService,
  CreateCaseUseCase,
  EvidenceFileQuery,
  ImportModelLineageUseCase,
  LINEAGE_MEDIA_TYPES,
  ListCasesQuery,
  PatchModelUseCase,
  UpdateAssessmentUseCase,
  UploadEvidenceUseCase,
  createCaseSchema,
  listCasesQuerySchema,
  parseEventBody,
  patchModelSchema,
  type UploadedFile as EvidenceFile,
} from '@app/cases';
import { EVIDENCE_MAX_BYTES } from '@app/evidence';
import { ReportRenderer } from '@app/reports';
import { parseQuery } from '@app/http';
import { canonicalJson, sha256Hex } from '@app/integrity';
import { assessmentSchema } from '@app/policy';
import type { CaseRow } from '@app/persistence';
import { Roles, type UserActor } from '@app/workflow';
import { MaxBodyBytes } from '../common/body-size.guard.js';
import { UploadSlots } from '../common/upload-slots.interceptor.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { etagOf, parseIfMatch, send, type WriteResponse } from '../common/http.util.js';
import { lineageDocumentOf } from './lineage-document.js';
import { ApiJson, ApiJsonOrCsv, ApiProblems, ApiQueryFrom, IdempotencyKey, IfMatch, openApiSchema, WriteProblems } from '../common/openapi.decorators.js';
import { casePageSchema, caseViewSchema, evidenceSchema } from './dto/case.responses.js';
import { fireEventBodySchema } from './dto/fire-event.body.js';
import { CSV_EXPORT_DESCRIPTION, csvFile, wantsCsv } from './csv-export.js';


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
    private readonly listCases: ListCasesQuery,
    private readonly updateAssessment: UpdateAssessmentUseCase,
    private readonly patchModel: PatchModelUseCase,
    private readonly importLineage: ImportModelLineageUseCase,
    private readonly uploadEvidence: UploadEvidenceUseCase,
    private readonly evidenceFile: EvidenceFileQuery,
    private readonly caseReport: CaseReportQuery,
    private readonly idempotency: IdempotencyService,
    private readonly reports: ReportRenderer,
  ) {}

  @Post()
  @AllowRoles(Roles.developer)
  @ApiOperation({
    operationId: 'createCase',
    summary: 'Open a case for a model version (pins the latest caip-2025 unless policyPack names one)',
    description: 'Developer. Opens a case in `draft` for a model version of the caller\'s organisation, pinning a policy pack version and the current workflow definition. 201 with the case, a `Location` and its `ETag`; 409 `case-exists` while the model version has a case that is not final. Honours `Idempotency-Key`.',
  })
  @ApiBody({ schema: openApiSchema(createCaseSchema, 'input') })
  @IdempotencyKey
  @ApiJson(201, caseViewSchema, 'the new case; Location names it, ETag is its version')
  @ApiProblems(400, 401, 403, 409, 413, 415, 422)
  async create(@Body() body: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const command = CreateCaseUseCase.parse(body);
    const create = async (db?: EntityManager): Promise<WriteResponse> => {
      const created = await this.createCase.execute(command, user, db);
      return { status: 201, body: await this.view.renderNew(created, user, db), etag: etagOf(created.row.version) };
    };
    // Without a key: two statements and no transaction (CreateCaseUseCase); with one, the claim's transaction.
    const result = request.headers['idempotency-key'] !== undefined
      ? await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body)), create)
      : await create();
    response.setHeader('Location', `/v1/cases/${(result.body as { id: string }).id}`);
    return send(response, result);
  }

  @Get()
  @ApiOperation({
    operationId: 'listCases',
    summary: 'Cases the caller may read, newest first (keyset paginated)',
    description: 'Developers, auditors and regulators: only cases the caller may read (a developer its organisation\'s, an auditor those they are or were assigned to, a regulator every case); filters only narrow that set. Newest first, or by next deadline with `sort=deadline`. Keyset paginated; a cursor is bound to its query. With `Accept: text/csv` the answer is a CSV download of every page of the same list, streamed.',
  })
  @ApiQueryFrom(listCasesQuerySchema)
  @ApiJsonOrCsv(casePageSchema, CSV_EXPORT_DESCRIPTION)
  @ApiProblems(400, 401, 403)
  async list(@Query() query: unknown, @CurrentUser() user: UserActor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const scope = this.access.scopeOf(user);
    const q = parseQuery(listCasesQuerySchema, query);
    response.vary('Accept');
    if (wantsCsv(request)) return csvFile(CASE_CSV_COLUMNS, await this.listCases.allPages(scope, q), 'cases');
    return this.listCases.execute(scope, q);
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getCase',
    summary: 'One case, with the caller’s allowedEvents; ETag is its version',
    description: 'Readers of the case: its developer organisation, auditors it is or was assigned to, regulators. Anyone else gets 404, so a case\'s existence does not leak. Every reader sees the same fields except `allowedEvents`, the events this caller may fire now.',
  })
  @ApiJson(200, caseViewSchema)
  @ApiProblems(401, 403, 404)
  async get(@Param('id') id: string, @CurrentUser() user: UserActor, @Res({ passthrough: true }) response: Response) {
    const row = await this.access.readable(user, id);
    response.setHeader('ETag', etagOf(row.version));
    return this.view.render(row, user);
  }

  @Get(':id/report.pdf')
  @ApiOperation({
    operationId: 'getCaseReport',
    summary: 'The model report as a PDF a regulator can file',
    description: 'Readers of the case: its developer organisation, auditors it is or was assigned to, regulators; anyone else gets 404. A PDF of the model and its lineage, the release decision per component, evaluations by domain with their tiers, safeguards, findings and their resolution, opinions with their conditions, open deadlines, and the history\'s head hash with the request that verifies it. Reports are drawn one at a time beside the api\'s other work: a caller with 8 reports already being drawn or waiting gets 429 `too-many-requests`, and when 32 already wait, anyone gets 503 `reports-busy`, both with `Retry-After`. A report that cannot be drawn (it takes longer than 60 s, or more memory than its drawing process has) is 500 `report-failed`, and the next report is drawn in a new process.',
  })
  @ApiResponse({
    status: 200,
    description: 'the report, as an attachment named after the model version',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(401, 403, 404, 429, 500, 503)
  async report(@Param('id') id: string, @CurrentUser() user: UserActor, @Req() request: Request, @Res() response: Response) {
    const report = await this.caseReport.execute(user, id, `${request.protocol}://${request.get('host') ?? 'localhost'}`);
    const pdf = await this.reports.render(report, user.id);
    const filename = `${report.model.name}-${report.model.version}-report.pdf`.replace(/[^\w.-]/g, '_');
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Length', String(pdf.length));
    response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.end(pdf);
  }

  @Put(':id/assessment')
  @AllowRoles(Roles.developer)
  @ApiOperation({
    operationId: 'putAssessment',
    summary: 'Replace the working assessment (draft or changes_requested)',
    description: 'The case\'s developer, in `draft` or `changes_requested`. Replaces the whole document and checks its shape only (400 lists every problem by JSON path); a draft may be incomplete, completeness is checked at `SUBMIT` and the policy pack\'s rules at intake. 200 with the case and its new `ETag`.',
  })
  @ApiBody({ schema: openApiSchema(assessmentSchema, 'input') })
  @IfMatch
  @ApiJson(200, caseViewSchema, 'the case; ETag is its new version')
  @WriteProblems
  async putAssessment(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (request.headers['idempotency-key'] === undefined) {
      // Two statements, no transaction (UpdateAssessmentUseCase.executeUnlocked); the read checks 404 before the body's 400.
      const reader = this.access.stepReader(user, id);
      const edited = await this.updateAssessment.executeUnlocked({
        caseId: reader.caseId,
        user,
        document: () => UpdateAssessmentUseCase.parse(body),
        ifMatch: parseIfMatch(request),
        reader,
      });
      return send(response, { status: 200, body: await this.view.renderStep(edited, user), etag: etagOf(edited.row.version) });
    }
    await this.access.readable(user, id);
    const document = UpdateAssessmentUseCase.parse(body);
    return this.writeCase(request, response, user, body, (db) => this.updateAssessment.execute(id, document, user, parseIfMatch(request), db));
  }

  @Patch(':id/model')
  @AllowRoles(Roles.developer)
  @ApiOperation({
    operationId: 'patchModel',
    summary: 'Set the model version’s checkpoint hash or lineage (draft or changes_requested)',
    description: 'The case\'s developer, in `draft` or `changes_requested`: sets `checkpointSha256` or replaces `baseModels` (lineage to a model version in Clearance or an external one). 200 with the case and its new `ETag`.',
  })
  @ApiBody({ schema: openApiSchema(patchModelSchema, 'input') })
  @IfMatch
  @ApiJson(200, caseViewSchema, 'the case; ETag is its new version')
  @WriteProblems
  async patchModelVersion(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.access.readable(user, id);
    const patch = PatchModelUseCase.parse(body);
    return this.writeCase(request, response, user, body, (db) => this.patchModel.execute(id, patch, user, parseIfMatch(request), db));
  }

  @Post(':id/model/import')
  @AllowRoles(Roles.developer)
  @HttpCode(200)
  @ApiConsumes(LINEAGE_MEDIA_TYPES.cyclonedx, LINEAGE_MEDIA_TYPES.modelCard)
  @ApiOperation({
    operationId: 'importModelLineage',
    summary: 'Set the model version’s lineage from a CycloneDX BOM or a Hugging Face model card (draft or changes_requested)',
    description: 'The case\'s developer, in `draft` or `changes_requested`; a model PATCH of `baseModels` (same refusals, version and ETag). Either a CycloneDX 1.5–1.7 JSON BOM (`application/vnd.cyclonedx+json`): the model is `metadata.component` (a `machine-learning-model`), its base models `pedigree.ancestors`, each with an optional `clearance:relation` property; or a model card (`text/markdown`) whose YAML front matter names `base_model` (a Hub id or a list) and `base_model_relation` (without it, two or more ids are a `merge`); front matter over 128 KiB is refused. A BOM ancestor whose SHA-256, or name and version, matches exactly one model version in Clearance links to it, as does a Hub id that exactly one model version has as its name; the others are `external`. An invalid document is 400 listing every problem by `$.…` path and changes nothing; another media type is 415. 200 with the case and its new `ETag`.',
  })
  @ApiBody({
    schema: { oneOf: [{ type: 'object', description: 'a CycloneDX 1.5–1.7 JSON BOM' }, { type: 'string', description: 'a Hugging Face model card (Markdown with YAML front matter)' }] },
  })
  @IfMatch
  @IdempotencyKey
  @ApiJson(200, caseViewSchema, 'the case; ETag is its new version')
  @WriteProblems
  async importModelLineageDocument(
    @Param('id') id: string,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.access.readable(user, id);
    const document = lineageDocumentOf(request);
    const reading = await ImportModelLineageUseCase.read(document);
    return this.writeCase(request, response, user, document, (db) => this.importLineage.execute(id, reading, user, parseIfMatch(request), db));
  }

  /** A developer's edit in one transaction under the Idempotency-Key; answers the case with its new ETag. */
  private async writeCase(
    request: Request,
    response: Response,
    user: UserActor,
    body: unknown,
    write: (db: EntityManager) => Promise<CaseRow>,
  ) {
    const result = await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body ?? null)), async (db) => {
      const row = await write(db);
      return { status: 200, body: await this.view.render(row, user, db), etag: etagOf(row.version) };
    });
    return send(response, result);
  }

  @Post(':id/events')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'fireEvent',
    summary: 'Fire a workflow event: {type, ...payload}',
    description: 'The event\'s actor, as the workflow\'s event table names it. The first failing check answers: 404 (may not read the case), 400 (unknown `type` or invalid payload), 403 (the caller may not fire it), 409 `version-conflict`, `stale-revision` or `invalid-transition`, 422 `guard-failed` with `reasons`; 409 and 422 add `state` and `allowedEvents`. A refusal changes nothing. 200 with the case after the event and its new `ETag`.',
  })
  @IfMatch
  @IdempotencyKey
  @ApiJson(200, caseViewSchema, 'the case after the event; ETag is its new version')
  @WriteProblems
  @ApiBody({ schema: fireEventBodySchema() })
  async fire(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: UserActor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    // 404 before 400 (SPEC.md). A request with an Idempotency-Key passes both before its key is claimed
    // (only a valid body can be hashed); any other is checked on the one read of its step.
    const reader = this.access.stepReader(user, id);
    const keyed = request.headers['idempotency-key'] !== undefined;
    let early: ReturnType<typeof parseEventBody> | null = null;
    if (keyed) {
      await this.access.readable(user, id);
      early = parseEventBody(body);
    }
    const fire = { caseId: reader.caseId, actor: user, event: () => early ?? parseEventBody(body), ifMatch: parseIfMatch(request), reader };
    // Without a key: two statements and no transaction (CaseTransitionService.fire); with one, the claim's transaction.
    const result = keyed
      ? await this.idempotency.run(request, user.id, sha256Hex(canonicalJson(body)), async (db) => {
          const fired = await this.transition.fireLocked(fire, db);
          return { status: 200, body: await this.view.renderStep(fired, user, db), etag: etagOf(fired.row.version) };
        })
      : await this.transition.fire(fire).then(async (fired) => ({ status: 200, body: await this.view.renderStep(fired, user), etag: etagOf(fired.row.version) }));
    return send(response, result);
  }

  @Post(':id/evidence')
  @AllowRoles(Roles.developer)
  // A multipart body of one part: the file, its part headers and the boundaries (a few hundred bytes; 64 KiB allowed).
  @MaxBodyBytes(EVIDENCE_MAX_BYTES + 64 * 1024, 'evidence files are at most 25 MiB')
  // A slot first, then the body: UploadSlots bounds the uploads held in memory at once.
  @UseInterceptors(UploadSlots, FileInterceptor('file', { limits: { fileSize: EVIDENCE_MAX_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({
    operationId: 'uploadEvidence',
    summary: 'Upload evidence (≤ 25 MiB; PDF, PNG, JPEG, ZIP, JSON, CSV, text, Markdown)',
    description: 'The case\'s developer, in `draft` or `changes_requested`. Multipart with one part `file`, at most 25 MiB (413), within the case\'s evidence quota (`EVIDENCE_MAX_CASE_MB`) and its organisation\'s (`EVIDENCE_MAX_ORGANISATION_MB`, across its cases; 413 naming the quota, nothing stored); a binary type must match the file\'s magic bytes, text must be UTF-8 and JSON must parse (415). 201 with its SHA-256, size and media type. An `Idempotency-Key` repeat is matched on the file\'s SHA-256. A caller with 8 uploads in flight gets 429 `too-many-requests`, and when 16 are in flight in all, anyone gets 503 `uploads-busy`, both with `Retry-After`. A body that arrives slower than 64 KiB/s on average after its first 10 s is 408 `request-timeout`, and the connection is closed.',
  })
  @IdempotencyKey
  @ApiJson(201, evidenceSchema, 'the stored file')
  @ApiProblems(400, 401, 403, 404, 408, 409, 413, 415, 422, 429, 503)
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
  @ApiOperation({
    operationId: 'downloadEvidence',
    summary: 'Download an evidence file',
    description: 'Readers of the case. The stored bytes, always as an attachment; `ETag` and `Repr-Digest` carry their SHA-256, so a reader can check what it received against the revision.',
  })
  @ApiResponse({
    status: 200,
    description: 'the file, with its media type; ETag and Repr-Digest carry its SHA-256',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(401, 403, 404)
  async download(
    @Param('id') id: string,
    @Param('evidenceId') evidenceId: string,
    @CurrentUser() user: UserActor,
    @Res() response: Response,
  ) {
    const file = await this.evidenceFile.execute(await this.access.readable(user, id), evidenceId);
    response.setHeader('Content-Type', file.mediaType);
    response.setHeader('Content-Length', String(file.size));
    response.setHeader('ETag', `"${file.sha256}"`);
    response.setHeader('Repr-Digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
    response.setHeader('Content-Disposition', `attachment; filename="${(file.filename ?? file.id).replace(/[^\w.-]/g, '_')}"`);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.end(file.content);
  }
}
