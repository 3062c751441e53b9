import { HASH_SIZE, fromBase64, sha256, utf8 } from './bytes';
import { ed25519Verify } from './ed25519';

/** C2SP signed-note: the signature type of a plain Ed25519 key. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';

/** `<name>+<hex key id>+<base64(0x01 ‖ public key)>`, parsed and checked. */
export type VerifierKey = { name: string; keyId: number; publicKey: Uint8Array<ArrayBuffer> };
/** One signature line `— <name> base64(key id ‖ signature)`; `signature` excludes the key id. */
export type NoteSignature = { name: string; keyId: number; signature: Uint8Array<ArrayBuffer> };
/** A note split at its last blank line: `text` keeps its final newline. */
export type ParsedNote = { text: string; signatures: NoteSignature[] };
/** C2SP tlog-checkpoint body. */
export type Checkpoint = { origin: string; size: number; rootHash: Uint8Array<ArrayBuffer>; extensions: string[] };

/** Thrown for a note, key or checkpoint that does not parse; the message says what is wrong. */
export class NoteError extends Error {
  override readonly name = 'NoteError';
}

const isValidKeyName = (name: string): boolean => name.length > 0 && !/[\s\u0085+]/u.test(name);

/** Key id: the first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ type ‖ public key). */
export async function noteKeyId(name: string, type: number, publicKey: Uint8Array): Promise<number> {
  const digest = await sha256(utf8(`${name}\n`), Uint8Array.of(type), publicKey);
  return new DataView(digest.buffer).getUint32(0);
}

/** Parses an Ed25519 verifier key, checking that its id is the one its name and key give. */
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  // The name holds no '+', so the first two split it from the id and the key, whose base64 may hold '+'.
  const trimmed = text.trim();
  const first = trimmed.indexOf('+');
  const second = trimmed.indexOf('+', first + 1);
  const [name, idText, keyText] = first < 0 || second < 0 ? ['', '', ''] : [trimmed.slice(0, first), trimmed.slice(first + 1, second), trimmed.slice(second + 1)];
  const key = fromBase64(keyText);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/i.test(idText) || key === null || key.length !== 33) {
    throw new NoteError('malformed verifier key');
  }
  if (key[0] !== SIGNATURE_TYPE_ED25519) throw new NoteError('the verifier key is not an Ed25519 key');
  const publicKey = key.slice(1);
  const keyId = Number.parseInt(idText, 16);
  if ((await noteKeyId(name, SIGNATURE_TYPE_ED25519, publicKey)) !== keyId) throw new NoteError('the verifier key id does not match its key');
  return { name, keyId, publicKey };
}

/** Splits a signed note into its text and signature lines, verifying nothing. */
export function parseNote(note: string): ParsedNote {
  // Below U+0020 only the newline is allowed.
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new NoteError('malformed note: control character');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed note: no signature block');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw new NoteError('malformed note: no signature lines');
  const signatures = block.slice(0, -1).split('\n').map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw new NoteError('malformed note: bad signature line');
    const [name, base64, ...rest] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    const raw = base64 === undefined ? null : fromBase64(base64);
    if (rest.length > 0 || !isValidKeyName(name) || raw === null || raw.length < 5) throw new NoteError('malformed note: bad signature line');
    return { name, keyId: new DataView(raw.buffer).getUint32(0), signature: raw.slice(4) };
  });
  return { text, signatures };
}

/**
 * Verifies a note's signature by `key` (C2SP signed-note, Ed25519 over the text's UTF-8 bytes):
 * the note's text when the signature holds, else a NoteError naming why not. Other signers'
 * lines (witnesses) are left aside.
 */
export async function openNote(note: string, key: VerifierKey): Promise<string> {
  const { text, signatures } = parseNote(note);
  const mine = signatures.filter((s) => s.name === key.name && s.keyId === key.keyId);
  if (mine.length === 0) throw new NoteError(`the note carries no signature by ${key.name}`);
  for (const s of mine) {
    if (!(await ed25519Verify(key.publicKey, s.signature, utf8(text)))) throw new NoteError(`invalid signature by ${key.name}`);
  }
  return text;
}

/** Parses checkpoint text `<origin>\n<size>\n<base64 root>\n[extensions]`. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('malformed checkpoint: text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.some((line) => line.length === 0)) throw new NoteError('malformed checkpoint: needs three non-empty lines');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!/^(?:0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new NoteError('malformed checkpoint: tree size');
  const rootHash = fromBase64(rootText);
  if (rootHash === null || rootHash.length !== HASH_SIZE) throw new NoteError('malformed checkpoint: root hash');
  return { origin, size: Number(sizeText), rootHash, extensions };
}

