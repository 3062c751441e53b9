import { createHash } from 'node:crypto';
import { validationFailed } from '@app/problems';
import type { Keyset } from '@app/persistence';

/** Cursors are opaque and bound to the query that made them. */
export const queryFingerprint = (query: Record<string, unknown>): string =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(query).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))))
    .digest('base64url')
    .slice(0, 16);

export const encodeCursor = (fingerprint: string, keyset: Keyset): string =>
  Buffer.from(JSON.stringify({ f: fingerprint, k: keyset })).toString('base64url');

export const decodeCursor = (cursor: string | undefined, fingerprint: string): Keyset | null => {
  if (cursor === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { f?: unknown; k?: unknown };
    const k = parsed.k as unknown[];
    if (parsed.f === fingerprint && Array.isArray(k) && k.length === 2 && typeof k[1] === 'string' && (typeof k[0] === 'string' || k[0] === null))
      return [k[0] as string | null, k[1]];
  } catch {
    // fall through: any undecodable cursor is the same client error
  }
  throw validationFailed([{ path: '$.cursor', message: 'not a cursor of this query' }]);
};
