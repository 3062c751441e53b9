import { canonicalJson, sha256Hex } from './canonical-json.util.js';

/**
 * Revision hash: lowercase hex SHA-256 of the JCS form of `{assessment, evidence}`,
 * where `evidence` is the sorted, de-duplicated SHA-256s of the revision's evidence files.
 */
export function revisionHash(assessment: unknown, evidenceSha256s: string[]): string {
  // Code-unit order, like JCS's own key order, so the result never depends on locale.
  const evidence = [...new Set(evidenceSha256s)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(canonicalJson({ assessment, evidence }));
}
