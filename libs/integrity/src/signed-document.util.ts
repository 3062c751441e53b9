import { signCanonical, verifyCanonical } from './signature.util.js';

/** A document with its Ed25519 signature over the canonical JSON of the document without `signature` and `keyId`. */
export type SignedDocument<T extends object> = T & { keyId: string; signature: string };

/** Signs `document` (which must not carry `keyId` or `signature`) with the key named `keyId`. */
export function signDocument<T extends object>(key: { keyId: string; privateKeyPem: string }, document: T): SignedDocument<T> {
  return { ...document, keyId: key.keyId, signature: signCanonical(key.privateKeyPem, document) };
}

/** True when `signed.signature` verifies over `signed` without `signature` and `keyId`. */
export function verifyDocument(publicKeyPem: string, signed: Record<string, unknown>): boolean {
  const { signature, keyId: _keyId, ...document } = signed;
  if (typeof signature !== 'string') return false;
  return verifyCanonical(publicKeyPem, document, signature);
}
