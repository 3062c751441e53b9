import { releaseRank } from '../vocabulary/release-rank.util.js';
import type { ClearedComponent, RecordedComponent, ReleaseViolation } from './release-types.js';

export const RELEASE_WITHIN_CLEARANCE = 'release-within-clearance';

/** No recorded component is more open than cleared. */
export const releaseWithinClearance = (
  recorded: RecordedComponent,
  cleared: ClearedComponent,
): ReleaseViolation[] =>
  releaseRank(recorded.release) > releaseRank(cleared.release)
    ? [
        {
          rule: RELEASE_WITHIN_CLEARANCE,
          message: `${recorded.component}: recorded ${recorded.release} is more open than the cleared ${cleared.release}`,
        },
      ]
    : [];
