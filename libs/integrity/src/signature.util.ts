import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, sha256Hex } from './canonical-json.util.js';

/** An Ed25519 key pair for the public registry, PEM encoded (SPKI / PKCS#8). */
export type SigningKeyPair = { publicKeyPem: string; privateKeyPem: string; keyId: string };

/** The public key as served at `GET /v1/public/keys` (RFC 8037 OKP JWK). */
export type Ed25519PublicJwk = { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };

/**
 * Parsed keys by PEM: parsing a PEM costs more than the Ed25519 signature itself, and a process
 * signs and verifies with a handful of keys. Bounded, so a stream of distinct keys (a verifier fed
 * many documents) cannot grow it without end; past the bound the oldest entry goes.
 */
const KEY_CACHE_SIZE = 32;
const publicKeys = new Map<string, KeyObject>();
const privateKeys = new Map<string, KeyObject>();

function cached(cache: Map<string, KeyObject>, pem: string, parse: (pem: string) => KeyObject): KeyObject {
  const hit = cache.get(pem);
  if (hit) return hit;
  const key = parse(pem);
  if (cache.size >= KEY_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(pem, key);
  return key;
}

function ed25519PublicKey(publicKeyPem: string): KeyObject {
  return cached(publicKeys, publicKeyPem, (pem) => {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('not an Ed25519 public key');
    return key;
  });
}

function ed25519PrivateKey(privateKeyPem: string): KeyObject {
  return cached(privateKeys, privateKeyPem, (pem) => {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('not an Ed25519 private key');
    return key;
  });
}

function rawPublicKey(key: KeyObject): { x: string; raw: Buffer } {
  // The JWK `x` member is exactly the raw 32-byte public key, base64url encoded.
  const { x } = key.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new TypeError('Ed25519 key has no public component');
  return { x, raw: Buffer.from(x, 'base64url') };
}

/** Key id: the first 16 hex digits of SHA-256 over the raw 32-byte public key. */
export function signingKeyId(publicKeyPem: string): string {
  return sha256Hex(rawPublicKey(ed25519PublicKey(publicKeyPem)).raw).slice(0, 16);
}

/** A fresh Ed25519 key pair with its key id. */
export function generateSigningKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { publicKeyPem, privateKeyPem, keyId: signingKeyId(publicKeyPem) };
}

/** Base64 Ed25519 signature over the UTF-8 bytes of `canonicalJson(value)`. */
export function signCanonical(privateKeyPem: string, value: unknown): string {
  // Ed25519 hashes internally, so the digest argument must be null.
  return sign(null, Buffer.from(canonicalJson(value), 'utf8'), ed25519PrivateKey(privateKeyPem)).toString('base64');
}

/**
 * True when `signature` (base64) is a valid Ed25519 signature over `canonicalJson(value)`.
 * A malformed signature is false; a malformed key throws, since that is a configuration error.
 */
export function verifyCanonical(publicKeyPem: string, value: unknown, signature: string): boolean {
  const key = ed25519PublicKey(publicKeyPem);
  const bytes = Buffer.from(signature, 'base64');
  // Buffer.from ignores junk in base64, so insist the text round-trips before trusting it.
  if (bytes.length !== 64 || bytes.toString('base64') !== signature) return false;
  return verify(null, Buffer.from(canonicalJson(value), 'utf8'), key, bytes);
}

/** The OKP JWK of an Ed25519 public key, with `kid` set to its key id. */
export function publicKeyJwk(publicKeyPem: string): Ed25519PublicJwk {
  const { x, raw } = rawPublicKey(ed25519PublicKey(publicKeyPem));
  return { kty: 'OKP', crv: 'Ed25519', x, kid: sha256Hex(raw).slice(0, 16), alg: 'EdDSA', use: 'sig' };
}
