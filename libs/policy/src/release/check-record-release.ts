import { checkpointMatches } from './checkpoint-matches.rule.js';
import { gatingNotWeaker } from './gating-not-weaker.rule.js';
import type { ClearedComponent, RecordedComponent, ReleaseViolation } from './release-types.js';
import { releaseWithinClearance } from './release-within-clearance.rule.js';

/**
 * Every `RECORD_RELEASE` violation against the cleared envelope (see `clearedEnvelope`).
 * A component absent from the envelope counts as cleared `withheld`.
 */
export const checkRecordRelease = (input: {
  envelope: readonly ClearedComponent[];
  components: readonly RecordedComponent[];
  checkpointSha256: string | null;
}): ReleaseViolation[] =>
  input.components.flatMap((recorded) => {
    const cleared = input.envelope.find((c) => c.component === recorded.component) ?? {
      component: recorded.component,
      release: 'withheld' as const,
    };
    return [
      ...releaseWithinClearance(recorded, cleared),
      ...gatingNotWeaker(recorded, cleared),
      ...checkpointMatches(recorded, input.checkpointSha256),
    ];
  });
