import type { RecordedComponent, ReleaseViolation } from './release-types.js';

export const CHECKPOINT_MATCHES = 'checkpoint-matches';

/** Recorded weights (above `withheld`) carry the SHA-256 of the model version's checkpoint. */
export const checkpointMatches = (recorded: RecordedComponent, checkpointSha256: string | null): ReleaseViolation[] => {
  if (recorded.component !== 'model_parameters' || recorded.release === 'withheld') return [];
  const fail = (message: string): ReleaseViolation[] => [{ rule: CHECKPOINT_MATCHES, message: `model_parameters: ${message}` }];
  if (checkpointSha256 === null) return fail('the model version has no checkpointSha256 to match');
  if (recorded.sha256 === undefined) return fail('sha256 is required and must equal the checkpointSha256');
  return recorded.sha256.toLowerCase() === checkpointSha256.toLowerCase()
    ? []
    : fail(`sha256 ${recorded.sha256} does not match the checkpointSha256 ${checkpointSha256}`);
};
