import type { TextReference } from '../registry-entry.util.js';

const isReference = (node: unknown): node is TextReference =>
  typeof node === 'object' &&
  node !== null &&
  Object.keys(node).length === 2 &&
  typeof (node as TextReference).sha256 === 'string' &&
  typeof (node as TextReference).length === 'number';

/** The SHA-256 of every long text a record publishes by reference (the inverse of externaliseLongTexts). */
export const textReferencesOf = (value: unknown): string[] => {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (isReference(node)) found.add(node.sha256);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(value);
  return [...found];
};

/** `value` with every long-text reference replaced by its text from `texts` (kept when missing). */
export const inlineTexts = <T>(value: T, texts: ReadonlyMap<string, string>): T => {
  const walk = (node: unknown): unknown => {
    if (isReference(node)) return texts.get(node.sha256) ?? node;
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(value) as T;
};
