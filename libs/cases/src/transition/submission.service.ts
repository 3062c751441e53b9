import { Injectable } from '@nestjs/common';
import { assessedTier, requiresCheckpoint, validateAssessmentComplete, type AssessmentDocument } from '@app/policy';
import { revisionHash } from '@app/integrity';
import { EvidenceRepository, ModelVersionRepository, type CaseRow, type Db } from '@app/persistence';
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
  constructor(
    private readonly evidence: EvidenceRepository,
    private readonly models: ModelVersionRepository,
    private readonly packs: PolicyPackService,
  ) {}

  async prepare(row: CaseRow, db: Db): Promise<PreparedRevision> {
    const assessment = row.assessment as AssessmentDocument;
    const problems: FieldProblem[] = [...validateAssessmentComplete(assessment)];
    if (requiresCheckpoint(assessment)) {
      const model = await this.models.findById(row.modelVersionId, db);
      if (!model?.checkpointSha256)
        problems.push({
          path: '$.model.checkpointSha256',
          message: 'required when model_parameters is released above internal',
        });
    }
    const named = (assessment.evaluations ?? []).flatMap((e, i) =>
      (e.evidenceIds ?? []).map((id, j) => ({ id, path: `$.evaluations[${i}].evidenceIds[${j}]` })),
    );
    const found = await this.evidence.findMeta(row.id, [...new Set(named.map((n) => n.id))], db);
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
