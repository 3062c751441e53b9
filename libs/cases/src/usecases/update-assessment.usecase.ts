import { Injectable } from '@nestjs/common';
import { validateAssessmentShape } from '@app/policy';
import { parseBody } from '@app/http';
import { CaseRepository, type CaseRow, type Db } from '@app/persistence';
import type { UserActor } from '@app/workflow';
import { DraftEditService } from './draft-edit.service.js';

/** `PUT /v1/cases/:id/assessment`: replaces the working document after a shape check. */
@Injectable()
export class UpdateAssessmentUseCase {
  constructor(
    private readonly cases: CaseRepository,
    private readonly drafts: DraftEditService,
  ) {}

  static parse(body: unknown): Record<string, unknown> {
    return parseBody<Record<string, unknown>>(validateAssessmentShape, body);
  }

  async execute(caseId: string, document: Record<string, unknown>, user: UserActor, ifMatch: number | undefined, db: Db): Promise<CaseRow> {
    const row = await this.drafts.lockForEdit(caseId, user, 'edit the assessment', ifMatch, db);
    return (await this.cases.updateReturning(row.id, row.version, { assessment: document }, db))!;
  }
}
