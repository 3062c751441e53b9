import { releaseRank } from './release-rank.util.js';
import type { ReleaseLevel } from './release-levels.js';

/** The more closed of two release levels. */
export const minRelease = (a: ReleaseLevel, b: ReleaseLevel): ReleaseLevel => (releaseRank(b) < releaseRank(a) ? b : a);
