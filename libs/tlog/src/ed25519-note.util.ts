import { type KeyObject } from 'node:crypto';
import { ed25519PublicKeyFromRaw, ed25519RawPublicKey, ed25519Sign, ed25519Verify } from './ed25519-key.util.js';
import { cosignatureVerifier } from './cosignature.util.js';
import { SIGNATURE_TYPE_ED25519, formatVerifierKey, noteKeyId, parseVerifierKey } from './note-key.util.js';
import type { NoteSigner, NoteVerifier } from './signed-note.util.js';

/** A signed-note signer with an Ed25519 key (type 0x01): the signature covers the note text. */
export function ed25519NoteSigner(name: string, privateKey: KeyObject): NoteSigner & { verifierKey: string } {
  const publicKey = ed25519RawPublicKey(privateKey);
  return {
    name,
    keyId: noteKeyId(name, SIGNATURE_TYPE_ED25519, publicKey),
    verifierKey: formatVerifierKey(name, SIGNATURE_TYPE_ED25519, publicKey),
    sign: (text) => ed25519Sign(privateKey, text),
  };
}

/** A signed-note verifier for an Ed25519 key (type 0x01). */
export function ed25519NoteVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  const key = ed25519PublicKeyFromRaw(publicKey);
  return {
    name,
    keyId: noteKeyId(name, SIGNATURE_TYPE_ED25519, publicKey),
    verify: (text, signature) => ed25519Verify(key, text, signature),
  };
}

/** The verifier a verifier key string describes: Ed25519 (0x01) or cosignature/v1 (0x04). Throws when malformed. */
export function noteVerifierFromKey(verifierKey: string): NoteVerifier {
  const parsed = parseVerifierKey(verifierKey);
  if (parsed === null) throw new RangeError(`malformed verifier key ${JSON.stringify(verifierKey)}`);
  return parsed.type === SIGNATURE_TYPE_ED25519
    ? ed25519NoteVerifier(parsed.name, parsed.publicKey)
    : cosignatureVerifier(parsed.name, parsed.publicKey);
}
