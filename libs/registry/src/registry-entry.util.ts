import { sha256Hex } from '@app/integrity';

/** A text longer than this is published as `{sha256, length}` and served in full beside the record. */
export const MAX_INLINE_TEXT = 2000;

/** What a long text is replaced with in a record. */
export type TextReference = { sha256: string; length: number };

/**
 * Replaces every string longer than MAX_INLINE_TEXT characters in `value` by its reference,
 * collecting the texts so they can be stored and served at `…/texts/:sha256`.
 */
export const externaliseLongTexts = <T>(value: T): { value: T; texts: Array<{ sha256: string; text: string }> } => {
  const texts = new Map<string, string>();
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (node.length <= MAX_INLINE_TEXT) return node;
      const sha256 = sha256Hex(node);
      texts.set(sha256, node);
      return { sha256, length: node.length } satisfies TextReference;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return { value: walk(value) as T, texts: [...texts].map(([sha256, text]) => ({ sha256, text })) };
};
