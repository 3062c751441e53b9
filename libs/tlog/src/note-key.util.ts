import { Buffer } from 'node:buffer';
import { decodeBase64Strict, encodeBase64, sha256 } from './bytes.util.js';
import { ED25519_KEY_SIZE } from './ed25519-key.util.js';

/** C2SP signed-note signature type: Ed25519 over the note text. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
/** C2SP signed-note signature type: timestamped Ed25519 witness cosignature (tlog-cosignature). */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;

export type SignatureType = typeof SIGNATURE_TYPE_ED25519 | typeof SIGNATURE_TYPE_COSIGNATURE_V1;

/** A parsed verifier key `<name>+<hex key id>+<base64(type ‖ public key)>`. */
export type VerifierKey = { name: string; keyId: number; type: SignatureType; publicKey: Buffer };

/** Key names are non-empty, hold no Unicode space and no plus sign (C2SP signed-note). */
export function isValidKeyName(name: string): boolean {
  // \s covers the Unicode White_Space set except U+0085, which Go's unicode.IsSpace also counts.
  return name.length > 0 && !/[\s\u0085+]/u.test(name) && Buffer.from(name, 'utf8').toString('utf8') === name;
}

/** Key id: the first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ type ‖ public key). */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): number {
  return sha256(Buffer.from(`${name}\n`, 'utf8'), Uint8Array.of(type), publicKey).readUInt32BE(0);
}

export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** `<name>+<hex key id>+<base64(type ‖ public key)>` */
export function formatVerifierKey(name: string, type: SignatureType, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new RangeError(`invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== ED25519_KEY_SIZE) throw new RangeError('an Ed25519 public key is 32 bytes');
  return `${name}+${keyIdHex(noteKeyId(name, type, publicKey))}+${encodeBase64(Buffer.concat([Uint8Array.of(type), publicKey]))}`;
}

/**
 * Parses a verifier key of type 0x01 or 0x04, or returns null: the name must be valid, the id
 * 8 hex digits equal to the id the name and key give, the key 32 bytes in strict base64.
 */
export function parseVerifierKey(text: string): VerifierKey | null {
  // The name holds no '+', so the first two split it from the id and the (base64) key.
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) return null;
  const name = text.slice(0, first);
  const idText = text.slice(first + 1, second);
  const key = decodeBase64Strict(text.slice(second + 1));
  if (!isValidKeyName(name) || !/^[0-9a-fA-F]{8}$/.test(idText) || key === null || key.length !== 1 + ED25519_KEY_SIZE) return null;
  const type = key[0];
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) return null;
  const publicKey = key.subarray(1);
  const keyId = Number.parseInt(idText, 16);
  if (noteKeyId(name, type, publicKey) !== keyId) return null;
  return { name, keyId, type, publicKey: Buffer.from(publicKey) };
}
