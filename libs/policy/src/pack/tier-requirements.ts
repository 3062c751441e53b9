import type { ReleaseLevel } from '../vocabulary/release-levels.js';

/** What a pack demands at one tier. */
export type TierRequirements = {
  /** The most open release permitted for capability components (`model_parameters`, `intermediate_parameters`). */
  maxWeightsRelease: ReleaseLevel;
  /** Sign-offs required, from distinct audit firms. */
  signOffs: number;
  /** Whether a regulator reviews before clearance. */
  regulatorReview: boolean;
};
