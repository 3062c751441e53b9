import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '@app/http';
import { CaseRepository, ModelVersionRepository, type CaseRow, type Db } from '@app/persistence';
import { validationFailed } from '@app/problems';
import type { UserActor } from '@app/workflow';
import { DraftEditService } from './draft-edit.service.js';
import { baseModelsSchema } from './create-case.usecase.js';

export const patchModelSchema = z.strictObject({
  checkpointSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256').nullable().optional(),
  baseModels: baseModelsSchema.optional(),
});

export type PatchModelCommand = z.infer<typeof patchModelSchema>;

/** `PATCH /v1/cases/:id/model`: the checkpoint hash and lineage, while the case is editable. */
@Injectable()
export class PatchModelUseCase {
  constructor(
    private readonly cases: CaseRepository,
    private readonly models: ModelVersionRepository,
    private readonly drafts: DraftEditService,
  ) {}

  static parse(body: unknown): PatchModelCommand {
    return parseBody(patchModelSchema, body);
  }

  async execute(caseId: string, patch: PatchModelCommand, user: UserActor, ifMatch: number | undefined, db: Db): Promise<CaseRow> {
    const row = await this.drafts.lockForEdit(caseId, user, 'edit the model version', ifMatch, db);
    const problems = [];
    for (const [i, base] of (patch.baseModels ?? []).entries()) {
      if (!('modelVersionId' in base)) continue;
      if (base.modelVersionId === row.modelVersionId)
        problems.push({ path: `$.baseModels[${i}].modelVersionId`, message: 'a model version cannot descend from itself' });
      else if (!(await this.models.findById(base.modelVersionId, db)))
        problems.push({ path: `$.baseModels[${i}].modelVersionId`, message: 'no such model version' });
    }
    if (problems.length) throw validationFailed(problems);
    await this.models.update(row.modelVersionId, patch, db);
    await this.cases.update(row.id, row.version, {}, db);
    return (await this.cases.findById(row.id, db))!;
  }
}
