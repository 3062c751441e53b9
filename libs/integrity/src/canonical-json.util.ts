import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) serialisation of a JSON value.
 * Throws on values JCS cannot represent (undefined, functions, NaN, Infinity, lone surrogates, cycles).
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  // canonicalize returns undefined for a top-level undefined/function/symbol instead of throwing.
  if (text === undefined) {
    throw new TypeError('value has no JSON representation');
  }
  return text;
}

/** Lowercase hex SHA-256; strings are hashed as UTF-8. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
