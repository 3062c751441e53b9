import { Buffer } from 'node:buffer';
import { type KeyObject } from 'node:crypto';
import { ED25519_SIGNATURE_SIZE, ed25519PublicKeyFromRaw, ed25519RawPublicKey, ed25519Sign, ed25519Verify } from './ed25519-key.util.js';
import { SIGNATURE_TYPE_COSIGNATURE_V1, formatVerifierKey, noteKeyId } from './note-key.util.js';
import type { NoteSignature, NoteSigner, NoteVerifier } from './signed-note.util.js';

/** Bytes after the key id in a cosignature/v1 line: 8-byte big-endian timestamp ‖ 64-byte signature. */
export const COSIGNATURE_V1_SIZE = 8 + ED25519_SIGNATURE_SIZE;

function checkTimestamp(timestamp: number): void {
  // The spec allows up to 2^63 - 1; a JavaScript number is exact only to 2^53 - 1, ample for seconds.
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('a cosignature timestamp is a non-negative integer of seconds');
}

/** The signed message: `cosignature/v1\ntime <seconds>\n` then the checkpoint text (its final newline included). */
export function cosignatureMessage(timestamp: number, checkpointText: string | Uint8Array): Buffer {
  checkTimestamp(timestamp);
  const body = typeof checkpointText === 'string' ? Buffer.from(checkpointText, 'utf8') : checkpointText;
  return Buffer.concat([Buffer.from(`cosignature/v1\ntime ${timestamp}\n`, 'utf8'), body]);
}

/** The timestamp of a cosignature/v1 signature (the bytes after the key id), or null when it is not one. */
export function cosignatureTimestamp(signature: NoteSignature | Uint8Array): number | null {
  const bytes = 'signature' in signature ? signature.signature : signature;
  if (bytes.length !== COSIGNATURE_V1_SIZE) return null;
  const timestamp = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readBigUInt64BE(0);
  return timestamp <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(timestamp) : null;
}

/**
 * A witness cosigner (C2SP tlog-cosignature, Ed25519 cosignature/v1, type 0x04): signs the
 * cosignature message at the time `now()` gives, in Unix seconds.
 */
export function ed25519Cosigner(
  name: string,
  privateKey: KeyObject,
  now: () => number = () => Math.floor(Date.now() / 1000),
): NoteSigner & { verifierKey: string } {
  const publicKey = ed25519RawPublicKey(privateKey);
  return {
    name,
    keyId: noteKeyId(name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
    verifierKey: formatVerifierKey(name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
    sign: (text) => {
      const timestamp = now();
      const stamp = Buffer.alloc(8);
      stamp.writeBigUInt64BE(BigInt(timestamp));
      return Buffer.concat([stamp, ed25519Sign(privateKey, cosignatureMessage(timestamp, text))]);
    },
  };
}

/** Verifies cosignature/v1 signatures of one witness key (type 0x04). */
export function cosignatureVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  const key = ed25519PublicKeyFromRaw(publicKey);
  return {
    name,
    keyId: noteKeyId(name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
    verify: (text, signature) => {
      const timestamp = cosignatureTimestamp(signature);
      if (timestamp === null) return false;
      return ed25519Verify(key, cosignatureMessage(timestamp, text), signature.subarray(8));
    },
  };
}
