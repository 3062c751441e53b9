import { Injectable } from '@nestjs/common';
import { findInvalidString } from '@app/integrity';
import { ModelVersionRepository, type CaseRow, type Db } from '@app/persistence';
import { notFound, validationFailed } from '@app/problems';
import { linkBaseModels, readCycloneDxLineage, readModelCardLineage, type LineageReading } from '@app/registry';
import type { UserActor } from '@app/workflow';
import { DraftEditService } from './draft-edit.service.js';
import { PatchModelUseCase } from './patch-model.usecase.js';

/** The media types `POST /v1/cases/:id/model/import` reads. */
export const LINEAGE_MEDIA_TYPES = { cyclonedx: 'application/vnd.cyclonedx+json', modelCard: 'text/markdown' } as const;

/** An imported document: a CycloneDX BOM (parsed JSON) or a Hugging Face model card (text). */
export type LineageDocument = { kind: 'cyclonedx'; bom: unknown } | { kind: 'modelCard'; markdown: string };

export type LineageImport = Extract<LineageReading, { ok: true }>;

/**
 * `POST /v1/cases/:id/model/import`: `model.baseModels` from a CycloneDX BOM or a model card. It is a
 * model PATCH of `baseModels` (same refusals, version and ETag), after Clearance's own checks.
 */
@Injectable()
export class ImportModelLineageUseCase {
  constructor(
    private readonly models: ModelVersionRepository,
    private readonly drafts: DraftEditService,
    private readonly patchModel: PatchModelUseCase,
  ) {}

  /** Reads the document at the edge: 400 listing every problem by `$.…` path. */
  static async read(document: LineageDocument): Promise<LineageImport> {
    // As parseBody does for JSON bodies: Postgres cannot store U+0000, and a lone surrogate is no text.
    const bad = findInvalidString(document.kind === 'modelCard' ? document.markdown : document.bom);
    if (bad) throw validationFailed([{ path: bad, message: 'strings may not hold U+0000 or a lone surrogate' }]);
    const reading = document.kind === 'modelCard' ? readModelCardLineage(document.markdown) : readCycloneDxLineage(document.bom);
    if (!reading.ok) throw validationFailed(reading.problems);
    return reading;
  }

  async execute(caseId: string, reading: LineageImport, user: UserActor, ifMatch: number | undefined, db: Db): Promise<CaseRow> {
    const row = await this.drafts.lockForEdit(caseId, user, 'import the model version\'s lineage', ifMatch, db);
    const model = await this.models.findById(row.modelVersionId, db);
    if (!model) throw notFound();
    const sha256s = reading.claims.flatMap((c) => (c.sha256 ? [c.sha256] : []));
    const candidates = await this.models.withChecksumOrName(sha256s, [...new Set(reading.claims.map((c) => c.name))], db);
    const linked = linkBaseModels(reading, candidates, model);
    if (!linked.ok) throw validationFailed(linked.problems);
    return this.patchModel.execute(caseId, { baseModels: linked.baseModels }, user, ifMatch, db);
  }
}
