import { concatBytes, fromBase64, fromBase64Url, utf8 } from './bytes';
import { ed25519Verify } from './ed25519';
import type { Check, PublicJwk } from './registry-record';

/** A DSSE v1 envelope (secure-systems-lab/dsse). */
export type DsseEnvelope = { payloadType: string; payload: string; signatures: Array<{ keyid?: string; sig: string }> };

/** DSSE v1 pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(payload)> <payload>`, lengths in bytes. */
export const pae = (payloadType: string, payload: Uint8Array): Uint8Array<ArrayBuffer> => {
  const type = utf8(payloadType);
  return concatBytes(utf8(`DSSEv1 ${type.length} `), type, utf8(` ${payload.length} `), payload);
};

/** DSSE allows either base64 alphabet, padded or not. */
const decode = (text: string): Uint8Array<ArrayBuffer> | null => fromBase64(text) ?? fromBase64Url(text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));

/**
 * The envelope's Ed25519 signature over its PAE, by the registry key whose `kid` is the signature's
 * `keyid`, and the in-toto subject's SHA-256 equal to the weights the record names.
 */
export async function checkAttestation(envelope: DsseEnvelope, keys: readonly PublicJwk[], weightsSha256: string | null): Promise<Check> {
  const payload = decode(envelope.payload);
  if (!payload) return { ok: false, detail: 'the payload is not base64' };
  const message = pae(envelope.payloadType, payload);
  let signedBy: string | null = null;
  for (const { keyid, sig } of envelope.signatures) {
    const jwk = keys.find((k) => k.kid === keyid);
    const publicKey = jwk ? fromBase64Url(jwk.x) : null;
    const signature = decode(sig);
    if (jwk && publicKey && signature && (await ed25519Verify(publicKey, signature, message))) {
      signedBy = jwk.kid;
      break;
    }
  }
  if (!signedBy) return { ok: false, detail: 'no signature verifies under a published registry key' };
  let subjects: Array<{ digest?: { sha256?: string } }>;
  try {
    subjects = (JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as { subject?: typeof subjects }).subject ?? [];
  } catch {
    return { ok: false, detail: 'the payload is not JSON' };
  }
  if (weightsSha256 === null || !subjects.some((s) => s.digest?.sha256 === weightsSha256)) return { ok: false, detail: 'the attestation is not for the weights this record names' };
  return { ok: true, detail: `DSSE signature by key ${signedBy}, for weights sha256:${weightsSha256}` };
}
