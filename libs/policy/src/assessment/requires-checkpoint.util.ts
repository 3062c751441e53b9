import { releaseRank } from '../vocabulary/release-rank.util.js';
import type { AssessmentDocument } from './assessment.schema.js';

/** SUBMIT needs the model version's `checkpointSha256` when the weights go beyond `internal`. */
export const requiresCheckpoint = (assessment: AssessmentDocument): boolean =>
  (assessment.components ?? []).some(
    (c) => c.component === 'model_parameters' && releaseRank(c.release) > releaseRank('internal'),
  );
