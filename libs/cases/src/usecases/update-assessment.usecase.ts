import { Injectable } from '@nestjs/common';
import { validateAssessmentShape } from '@app/policy';
import { findInvalidString } from '@app/integrity';
import { CaseRepository, type CaseRow, type Db } from '@app/persistence';
import { validationFailed } from '@app/problems';
import type { UserActor } from '@app/workflow';
import { DraftEditService } from '../draft-edit.service.js';

/** `PUT /v1/cases/:id/assessment`: replaces the working document after a shape check. */
@Injectable()
export class UpdateAssessmentUseCase {
  constructor(
    private readonly cases: CaseRepository,
    private readonly drafts: DraftEditService,
  ) {}

  static parse(body: unknown): Record<string, unknown> {
    const bad = findInvalidString(body);
    if (bad) throw validationFailed([{ path: bad, message: 'strings may not hold U+0000 or a lone surrogate' }]);
    const problems = validateAssessmentShape(body);
    if (problems.length > 0) throw validationFailed(problems);
    return body as Record<string, unknown>;
  }

  async execute(caseId: string, document: Record<string, unknown>, user: UserActor, ifMatch: number | undefined, db: Db): Promise<CaseRow> {
    const row = await this.drafts.lockForEdit(caseId, user, 'edit the assessment', ifMatch, db);
    return (await this.cases.updateReturning(row.id, row.version, { assessment: document }, db))!;
  }
}
