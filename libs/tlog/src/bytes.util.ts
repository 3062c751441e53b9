import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

/** SHA-256 digest length in bytes: every Merkle hash in this library has it. */
export const HASH_SIZE = 32;

/** SHA-256 over the concatenation of `parts`. */
export function sha256(...parts: readonly Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Standard padded base64 (RFC 4648 §4), or null. Buffer.from skips junk and accepts base64url,
 * so the text must match the alphabet and round-trip: one byte string has one encoding.
 */
export function decodeBase64Strict(text: string): Buffer | null {
  if (!BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The UTF-8 bytes of a string that holds no lone surrogate (which UTF-8 cannot carry), or null. */
export function utf8Strict(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.toString('utf8') === text ? bytes : null;
}

/** True for a decimal with no leading zero ("0" alone allowed) that is a safe integer. */
export function isCanonicalDecimal(text: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(text) && Number.isSafeInteger(Number(text));
}

export function assertSafeIndex(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative safe integer`);
}
