import { RELEASE_LEVELS } from '../vocabulary/release-levels.js';
import { isPlainObject } from './is-plain-object.util.js';

// An unknown release is reported by the enum; don't add a gating problem on top of it.
const isKnownRelease = (value: unknown): boolean => (RELEASE_LEVELS as readonly unknown[]).includes(value);

/** A problem whose path is relative to the list. */
export type ListProblem = { path: Array<string | number>; message: string };

/**
 * Cross-item rules of a component list (assessment or recorded release): each component at most
 * once, and `gating` present exactly when `release` is `gated`. Paths are relative to the list,
 * e.g. `[1].component`. Defensive about item shape so it can run on unvalidated input too.
 */
export const componentListProblems = (items: unknown): ListProblem[] => {
  if (!Array.isArray(items)) return [];
  const problems: ListProblem[] = [];
  const firstIndex = new Map<string, number>();
  items.forEach((item, i) => {
    if (!isPlainObject(item)) return;
    const { component, release, gating } = item;
    if (typeof component === 'string') {
      const first = firstIndex.get(component);
      if (first === undefined) firstIndex.set(component, i);
      else problems.push({ path: [i, 'component'], message: `${component}: listed more than once (first at index ${first})` });
    }
    const name = typeof component === 'string' ? `${component}: ` : '';
    if (release === 'gated' && gating === undefined) {
      problems.push({ path: [i, 'gating'], message: `${name}required when release is gated` });
    } else if (isKnownRelease(release) && release !== 'gated' && gating !== undefined) {
      problems.push({ path: [i, 'gating'], message: `${name}only allowed when release is gated` });
    }
  });
  return problems;
};
