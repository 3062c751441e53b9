/** Ed25519 verification with WebCrypto (RFC 8032 through `crypto.subtle`), nothing else. */

/** True when `signature` is a valid Ed25519 signature by the raw 32-byte `publicKey` over `message`. */
export async function ed25519Verify(publicKey: Uint8Array<ArrayBuffer>, signature: Uint8Array<ArrayBuffer>, message: Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
}
