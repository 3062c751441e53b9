import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

// DER headers of an Ed25519 PKCS#8 private key and SPKI public key (RFC 8410); the raw key follows.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const ED25519_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;

/** An Ed25519 private key from its 32-byte RFC 8032 seed. */
export function ed25519PrivateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== ED25519_KEY_SIZE) throw new RangeError('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** An Ed25519 public key from its raw 32 bytes. */
export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== ED25519_KEY_SIZE) throw new RangeError('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The raw 32 bytes of an Ed25519 public key (or of the public half of a private key). */
export function ed25519RawPublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new TypeError('not an Ed25519 key');
  return Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length));
}

export function ed25519Sign(privateKey: KeyObject, message: Uint8Array): Buffer {
  if (privateKey.asymmetricKeyType !== 'ed25519' || privateKey.type !== 'private') throw new TypeError('not an Ed25519 private key');
  // Ed25519 hashes internally: the digest argument must be null.
  return sign(null, message, privateKey);
}

/** False for a signature of the wrong length rather than an exception. */
export function ed25519Verify(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_SIZE) return false;
  return verify(null, message, publicKey, signature);
}
