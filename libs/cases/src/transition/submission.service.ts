import { Injectable } from '@nestjs/common';
import { assessedTier, requiresCheckpoint, validateAssessmentComplete, type AssessmentDocument } from '@app/policy';
import { revisionHash } from '@app/integrity';
import type { CaseRow, Db, StepReads } from '@app/persistence';
import { validationFailed, type FieldProblem } from '@app/problems';
import { PolicyPackService } from '../policy-pack.service.js';

export interface PreparedRevision {
  hash: string;
  tier: string | null;
  evidenceIds: string[];
  evidenceSha256: string[];
}

/** What SUBMIT and RESUBMIT check of the document (400) and the revision they would create. */
@Injectable()
export class SubmissionService {
  constructor(private readonly packs: PolicyPackService) {}

  /** From the step's read made with `{ assessmentEvidence: true }`; `db` serves only a pack not yet cached. */
  async prepare(row: CaseRow, reads: StepReads, db: Db): Promise<PreparedRevision> {
    const assessment = row.assessment as AssessmentDocument;
    const problems: FieldProblem[] = [...validateAssessmentComplete(assessment)];
    if (requiresCheckpoint(assessment)) {
      if (!reads.model?.checkpointSha256)
        problems.push({
          path: '$.model.checkpointSha256',
          message: 'required when model_parameters is released above internal',
        });
    }
    const named = (assessment.evaluations ?? []).flatMap((e, i) =>
      (e.evidenceIds ?? []).map((id, j) => ({ id, path: `$.evaluations[${i}].evidenceIds[${j}]` })),
    );
    const found = reads.assessmentEvidence;
    const byId = new Map(found.map((f) => [f.id, f]));
    for (const ref of named) if (!byId.has(ref.id)) problems.push({ path: ref.path, message: 'no such evidence on this case' });
    if (problems.length > 0) throw validationFailed(problems);
    const pack = await this.packs.get(row.policyPackId, row.policyPackVersion, db);
    const sha256s = found.map((f) => f.sha256);
    return {
      hash: revisionHash(assessment, sha256s),
      tier: assessedTier(assessment, pack),
      evidenceIds: [...byId.keys()].sort(),
      evidenceSha256: [...new Set(sha256s)].sort(),
    };
  }
}
