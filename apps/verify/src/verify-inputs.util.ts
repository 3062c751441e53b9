import { Buffer } from 'node:buffer';
import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import {
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  decodeBase64Strict,
  ed25519PublicKeyFromRaw,
  parseVerifierKey,
  type VerifierKey,
} from '@app/tlog';
import { UsageError } from './check-report.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `value` without the named members. */
export function omit(value: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !names.includes(key)));
}

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

export function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}

/** An Ed25519 JWK as served at `/v1/public/keys`, with its key. */
export type PublicJwk = { kid: string; key: KeyObject };

/**
 * The Ed25519 keys of a JWK Set (`{keys: [...]}`, as `/v1/public/keys` answers), a bare array
 * of JWKs, or one JWK. A JWK that is not OKP/Ed25519 with a 32-byte `x` is refused.
 */
export function readKeys(path: string): Map<string, PublicJwk> {
  const json = readJson(path, 'keys file');
  const list = isRecord(json) && Array.isArray(json.keys) ? (json.keys as unknown[]) : Array.isArray(json) ? json : [json];
  const keys = new Map<string, PublicJwk>();
  for (const jwk of list) {
    if (!isRecord(jwk) || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.kid !== 'string' || typeof jwk.x !== 'string') {
      throw new UsageError(`keys file ${path}: every key must be an OKP Ed25519 JWK with a kid and x`);
    }
    const raw = /^[A-Za-z0-9_-]{43}$/.test(jwk.x) ? Buffer.from(jwk.x, 'base64url') : null;
    if (raw === null || raw.length !== 32 || raw.toString('base64url') !== jwk.x) throw new UsageError(`keys file ${path}: key ${jwk.kid} has a malformed x`);
    if (keys.has(jwk.kid)) throw new UsageError(`keys file ${path}: two keys with kid ${jwk.kid}`);
    keys.set(jwk.kid, { kid: jwk.kid, key: ed25519PublicKeyFromRaw(raw) });
  }
  if (keys.size === 0) throw new UsageError(`keys file ${path} holds no key`);
  return keys;
}

const KEY_TYPES = { log: SIGNATURE_TYPE_ED25519, witness: SIGNATURE_TYPE_COSIGNATURE_V1 } as const;

/**
 * A C2SP verifier key given on the command line, or the path of a file holding one (as
 * `/v1/public/log/key` serves it): a log key is Ed25519 (0x01), a witness key cosignature/v1 (0x04).
 */
export function readVerifierKey(arg: string, role: keyof typeof KEY_TYPES): VerifierKey {
  let text = arg;
  if (parseVerifierKey(arg) === null) {
    let isFile = false;
    try {
      isFile = statSync(arg).isFile();
    } catch {
      // Not a file either: reported below as a malformed key.
    }
    if (isFile) text = readText(arg, `${role} key file`).trim();
  }
  const key = parseVerifierKey(text);
  if (key === null) throw new UsageError(`--${role}-key ${arg} is not a C2SP verifier key <name>+<hex id>+<base64 key> (nor a file holding one)`);
  if (key.type !== KEY_TYPES[role]) {
    throw new UsageError(`--${role}-key ${key.name} has type 0x0${key.type}; a ${role} key has type 0x0${KEY_TYPES[role]}`);
  }
  return key;
}

/** An array of standard padded base64 hashes of 32 bytes each, or null. */
export function base64Hashes(value: unknown): Buffer[] | null {
  if (!Array.isArray(value)) return null;
  const hashes = value.map((item) => (typeof item === 'string' ? decodeBase64Strict(item) : null));
  return hashes.every((hash): hash is Buffer => hash !== null && hash.length === 32) ? hashes : null;
}

/** Lowercase hex SHA-256 as 32 bytes, or null. */
export function hexHash(value: unknown): Buffer | null {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? Buffer.from(value, 'hex') : null;
}

/** An array of lowercase hex hashes of 32 bytes each, or null. */
export function hexHashes(value: unknown): Buffer[] | null {
  if (!Array.isArray(value)) return null;
  const hashes = value.map(hexHash);
  return hashes.every((hash): hash is Buffer => hash !== null) ? hashes : null;
}

export function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Lowercase hex SHA-256 of a file, read as a stream: model weights can be far larger than memory. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new UsageError(`cannot read weights ${path}: ${(error as Error).message}`);
  }
  return hash.digest('hex');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
