import { RELEASE_LEVELS, type ReleaseLevel } from './release-levels.js';

/** Position of a release level, 0 (`withheld`) to 5 (`open`): higher is more open. */
export const releaseRank = (level: ReleaseLevel): number => RELEASE_LEVELS.indexOf(level);
