import { compareVersions } from './compare-versions.util.js';

/** The highest version of pack `id` among `packs`, or undefined if there is none. */
export const latestPack = <P extends { id: string; version: string }>(packs: readonly P[], id: string): P | undefined =>
  packs
    .filter((p) => p.id === id)
    .reduce<P | undefined>((best, p) => (best === undefined || compareVersions(p.version, best.version) > 0 ? p : best), undefined);
