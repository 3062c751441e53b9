import { Buffer } from 'node:buffer';
import { sign, verify, type KeyObject } from 'node:crypto';
import { encodeBase64 } from './bytes.util.js';

/** One DSSE signature; `keyid` is an unauthenticated hint, never a security decision. */
export type DsseSignature = { keyid: string; sig: string };

/** The DSSE JSON envelope; `payload` and each `sig` are standard padded base64 when this library writes them. */
export type DsseEnvelope = { payloadType: string; payload: string; signatures: DsseSignature[] };

/** A key whose signatures an envelope may carry: Ed25519, or ECDSA (P-256 with SHA-256, raw r ‖ s). */
export type DsseTrustedKey = { keyid?: string; publicKey: KeyObject };

/** A verified envelope: its type, payload bytes and the keyids of the trusted keys that signed it. */
export type VerifiedEnvelope = { payloadType: string; payload: Buffer; keyids: (string | undefined)[] };

/** An envelope that is malformed or lacks enough valid signatures from trusted keys. */
export class DsseError extends Error {
  override readonly name = 'DsseError';
}

/** DSSE v1 pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(body)> <body>`, lengths in bytes. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** Signs `payload` with Ed25519 keys over PAE(payloadType, payload). */
export function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  signers: readonly { keyid: string; privateKey: KeyObject }[],
): DsseEnvelope {
  const message = pae(payloadType, payload);
  const signatures = signers.map(({ keyid, privateKey }) => {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('DSSE signing takes Ed25519 keys');
    return { keyid, sig: sign(null, message, privateKey).toString('base64') };
  });
  return { payloadType, payload: encodeBase64(payload), signatures };
}

/** Standard or URL-safe base64, padded or not, as DSSE verifiers must accept; null on junk. */
function decodeEitherBase64(text: string): Buffer | null {
  const normal = text.replaceAll('-', '+').replaceAll('_', '/').replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(normal) || normal.length % 4 === 1) return null;
  const bytes = Buffer.from(normal, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === normal ? bytes : null;
}

function verifies(key: KeyObject, message: Buffer, signature: Buffer): boolean {
  try {
    if (key.asymmetricKeyType === 'ed25519') return verify(null, message, key, signature);
    if (key.asymmetricKeyType === 'ec') return verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Verifies a DSSE envelope (protocol v1): valid only when at least `threshold` distinct trusted
 * keys signed PAE(payloadType, payload). Signatures that fail or come from unknown keys are
 * skipped; keyid only narrows which keys are tried.
 */
export function verifyEnvelope(envelope: unknown, trusted: readonly DsseTrustedKey[], threshold = 1): VerifiedEnvelope {
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError('threshold is at least 1');
  if (!isRecord(envelope) || typeof envelope.payloadType !== 'string' || typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures)) {
    throw new DsseError('malformed envelope');
  }
  const payload = decodeEitherBase64(envelope.payload);
  if (payload === null) throw new DsseError('malformed envelope: payload is not base64');
  const message = pae(envelope.payloadType, payload);
  const accepted = new Set<number>();
  for (const entry of envelope.signatures as unknown[]) {
    if (!isRecord(entry) || typeof entry.sig !== 'string' || (entry.keyid !== undefined && typeof entry.keyid !== 'string')) {
      throw new DsseError('malformed envelope: bad signature entry');
    }
    const signature = decodeEitherBase64(entry.sig);
    if (signature === null) throw new DsseError('malformed envelope: signature is not base64');
    const hint = entry.keyid || undefined;
    trusted.forEach((key, i) => {
      if (accepted.has(i) || (hint !== undefined && key.keyid !== undefined && key.keyid !== hint)) return;
      if (verifies(key.publicKey, message, signature)) accepted.add(i);
    });
  }
  if (accepted.size < threshold) throw new DsseError(`envelope has ${accepted.size} valid signature(s) from trusted keys, needs ${threshold}`);
  return { payloadType: envelope.payloadType, payload, keyids: [...accepted].map((i) => trusted[i].keyid) };
}
