import { PACK_ID_PATTERN, PACK_VERSION_PATTERN } from './policy-pack.schema.js';

/** A pack's reference, `"<id>@<version>"`, e.g. `"caip-2025@1"`. */
export const packRef = (pack: { id: string; version: string }): string => `${pack.id}@${pack.version}`;

/** Splits `"<id>@<version>"`; null when either half is not a valid pack id or version. */
export const parsePackRef = (ref: string): { id: string; version: string } | null => {
  const at = ref.lastIndexOf('@');
  if (at < 0) return null;
  const id = ref.slice(0, at);
  const version = ref.slice(at + 1);
  return PACK_ID_PATTERN.test(id) && PACK_VERSION_PATTERN.test(version) ? { id, version } : null;
};
