import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { validationFailed } from '@app/problems';
import { isUuid } from './id.util.js';

/** Cursors are opaque and bound to the query that made them. */
export const queryFingerprint = (query: Record<string, unknown>): string =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(query).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))))
    .digest('base64url')
    .slice(0, 16);

/** What the keyset of one query's cursor must be: checked after the signature, as defence in depth. */
export type KeysetRule<K> = z.ZodType<K>;

const uuid = z.string().refine(isUuid, 'a UUID');
// A timestamptz as Postgres writes it as text (ISO DateStyle), or the `infinity` that sorts open deadlines last.
const timestampText = z
  .string()
  .max(40)
  .regex(/^(?:-?infinity|\d{4,6}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}(?::?\d{2}){0,2})?(?: BC)?)$/, 'a timestamp');

/** The keysets Clearance's lists page by. */
export const KEYSETS = {
  /** (a timestamptz, the row's uuid): newest or oldest first with ties broken by id. */
  timeAndId: z.tuple([timestampText, uuid]),
  /** (a history `seq`): ascending within one case. */
  seq: z.tuple([z.number().int().min(0).max(2_147_483_647)]),
} as const;

const FORMAT = 'clearance-cursor-v1';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const refused = () => validationFailed([{ path: '$.cursor', message: 'not a cursor of this query' }]);

const macOf = (key: Buffer, body: string): Buffer => createHmac('sha256', key).update(`${FORMAT}.${body}`).digest();

// Only the canonical encoding is read, so that no other spelling of the same bytes passes as the cursor.
const decodeCanonical = (text: string): Buffer | null => {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
};

/**
 * `<body>.<mac>`: the body is base64url JSON `{f, k}` (the query fingerprint and the keyset after
 * which the next page starts), the mac its HMAC-SHA256 under the cursor key.
 */
export const signCursor = (key: Buffer, fingerprint: string, keyset: readonly unknown[]): string => {
  const body = Buffer.from(JSON.stringify({ f: fingerprint, k: keyset })).toString('base64url');
  return `${body}.${macOf(key, body).toString('base64url')}`;
};

/**
 * The keyset a cursor carries, or null without a cursor. A cursor not signed with `key`, altered,
 * made for another query or holding a keyset `rule` refuses is 400 `validation` (SPEC.md).
 */
export const readCursor = <K>(key: Buffer, cursor: string | undefined, fingerprint: string, rule: KeysetRule<K>): K | null => {
  if (cursor === undefined) return null;
  const parts = cursor.split('.');
  if (parts.length !== 2) throw refused();
  const [body, mac] = parts as [string, string];
  const given = decodeCanonical(mac);
  const bytes = decodeCanonical(body);
  if (!given || !bytes || given.length !== 32 || !timingSafeEqual(given, macOf(key, body))) throw refused();
  let parsed: { f?: unknown; k?: unknown };
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw refused();
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.f !== fingerprint) throw refused();
  const keyset = rule.safeParse(parsed.k);
  if (!keyset.success) throw refused();
  return keyset.data;
};
