import { Buffer, isUtf8 } from 'node:buffer';
import { decodeBase64Strict, encodeBase64 } from './bytes.util.js';
import { isValidKeyName, keyIdHex } from './note-key.util.js';

/** Largest note accepted, signatures included (1 MB). */
export const MAX_NOTE_BYTES = 1_000_000;
/** Most signature lines accepted in one note (the spec asks for at least 16; Go's note takes 100). */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 ';

/** One signature line: `— <name> base64(key id ‖ signature)`; `signature` excludes the key id. */
export type NoteSignature = { name: string; keyId: number; signature: Buffer; base64: string };

/** A note split into its text (final newline included) and its signature lines, none verified. */
export type ParsedNote = { text: string; signatures: NoteSignature[] };

/** A note whose signatures from known keys all verified, at least one of them. */
export type OpenedNote = { text: string; verified: NoteSignature[]; unverified: NoteSignature[] };

/** Signs note text with one key; `sign` returns the bytes that follow the key id. */
export type NoteSigner = { name: string; keyId: number; sign(text: Buffer): Buffer };

/** Checks a signature (the bytes after the key id) over note text, for one name and key id. */
export type NoteVerifier = { name: string; keyId: number; verify(text: Buffer, signature: Buffer): boolean };

/** A note that is malformed, carries a bad signature from a known key, or none from a known key. */
export class NoteError extends Error {
  override readonly name = 'NoteError';
}

function noteBytes(note: string | Uint8Array): Buffer {
  if (typeof note === 'string') {
    const bytes = Buffer.from(note, 'utf8');
    if (bytes.toString('utf8') !== note) throw new NoteError('malformed note: not valid UTF-8');
    return bytes;
  }
  if (!isUtf8(note)) throw new NoteError('malformed note: not valid UTF-8');
  return Buffer.from(note.buffer, note.byteOffset, note.byteLength);
}

function checkText(text: string): void {
  // Below U+0020 only the newline is allowed.
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new NoteError('malformed note: control character');
}

/** Splits a signed note without verifying anything; throws NoteError when it is malformed. */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const bytes = noteBytes(note);
  if (bytes.length > MAX_NOTE_BYTES) throw new NoteError('malformed note: larger than 1 MB');
  const message = bytes.toString('utf8');
  checkText(message);
  // The text ends at the last blank line; signature lines follow it, each ending in a newline.
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed note: no signature block');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw new NoteError('malformed note: no signature lines');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new NoteError('malformed note: too many signatures');
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw new NoteError('malformed note: bad signature line');
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const base64 = space < 0 ? '' : rest.slice(space + 1);
    const raw = decodeBase64Strict(base64);
    if (!isValidKeyName(name) || raw === null || raw.length < 5) throw new NoteError('malformed note: bad signature line');
    return { name, keyId: raw.readUInt32BE(0), signature: Buffer.from(raw.subarray(4)), base64 };
  });
  return { text, signatures };
}

/**
 * Verifies a note against known keys (C2SP signed-note): signatures from unknown keys are set
 * aside, one from a known key that fails rejects the note, and a note with no verified
 * signature is rejected. Two verifiers with one name and key id are a configuration error.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const known = new Map<string, NoteVerifier[]>();
  for (const verifier of verifiers) {
    const key = `${verifier.name}+${keyIdHex(verifier.keyId)}`;
    known.set(key, [...(known.get(key) ?? []), verifier]);
  }
  const textBytes = Buffer.from(text, 'utf8');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const signature of signatures) {
    const key = `${signature.name}+${keyIdHex(signature.keyId)}`;
    const candidates = known.get(key);
    if (candidates === undefined) {
      if (!unverified.some((u) => u.name === signature.name && u.base64 === signature.base64)) unverified.push(signature);
      continue;
    }
    if (candidates.length > 1) throw new NoteError(`ambiguous key ${key}`);
    // Only the first signature of a known key counts.
    if (seen.has(key)) continue;
    seen.add(key);
    if (!candidates[0].verify(textBytes, signature.signature)) throw new NoteError(`invalid signature for key ${key}`);
    verified.push(signature);
  }
  if (verified.length === 0) throw new NoteError('note has no verifiable signatures');
  return { text, verified, unverified };
}

/** `— <name> base64(key id ‖ signature)\n` */
export function formatSignatureLine(name: string, keyId: number, signature: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  return `${SIGNATURE_PREFIX}${name} ${encodeBase64(Buffer.concat([id, signature]))}\n`;
}

/**
 * Signs note text (which ends in a newline) with each signer. Signatures already on the note
 * are kept first, except those by a key that signs again now.
 */
export function signNote(text: string, signers: readonly NoteSigner[], existing: readonly NoteSignature[] = []): string {
  const textBytes = noteBytes(text);
  checkText(text);
  if (!text.endsWith('\n')) throw new NoteError('malformed note: text must end in a newline');
  const resigned = new Set(signers.map((s) => `${s.name}+${keyIdHex(s.keyId)}`));
  const kept = existing
    .filter((s) => !resigned.has(`${s.name}+${keyIdHex(s.keyId)}`))
    .map((s) => formatSignatureLine(s.name, s.keyId, s.signature));
  const added = signers.map((s) => formatSignatureLine(s.name, s.keyId, s.sign(textBytes)));
  const note = `${text}\n${[...kept, ...added].join('')}`;
  // What this function writes, parseNote must read back.
  parseNote(note);
  return note;
}
