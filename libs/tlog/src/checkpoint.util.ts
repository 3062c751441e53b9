import type { Buffer } from 'node:buffer';
import { HASH_SIZE, decodeBase64Strict, encodeBase64, isCanonicalDecimal } from './bytes.util.js';
import { NoteError, openNote, signNote, type NoteSigner, type NoteVerifier, type OpenedNote } from './signed-note.util.js';

/** A C2SP tlog-checkpoint: origin, tree size, root hash, and optional extension lines. */
export type Checkpoint = { origin: string; size: number; rootHash: Buffer; extensions: string[] };

/** What a checkpoint is written from: extension lines are optional (and not recommended). */
export type CheckpointInput = { origin: string; size: number; rootHash: Uint8Array; extensions?: readonly string[] };

/** `<origin>\n<size>\n<base64 root>\n` then one line per extension: the note text of a checkpoint. */
export function formatCheckpoint({ origin, size, rootHash, extensions = [] }: CheckpointInput): string {
  if (origin.length === 0 || origin.includes('\n')) throw new RangeError('a checkpoint origin is one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('a tree size is a non-negative safe integer');
  if (rootHash.length !== HASH_SIZE) throw new RangeError('a root hash is 32 bytes');
  if (extensions.some((line) => line.length === 0 || line.includes('\n'))) throw new RangeError('extension lines are non-empty lines');
  return [origin, String(size), encodeBase64(rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

/** Parses checkpoint note text (not the signatures), or throws NoteError. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('malformed checkpoint: text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.some((line) => line.length === 0)) throw new NoteError('malformed checkpoint: needs three non-empty lines');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!isCanonicalDecimal(sizeText)) throw new NoteError('malformed checkpoint: tree size');
  const rootHash = decodeBase64Strict(rootText);
  if (rootHash === null || rootHash.length !== HASH_SIZE) throw new NoteError('malformed checkpoint: root hash');
  return { origin, size: Number(sizeText), rootHash, extensions };
}

/** A checkpoint signed as a C2SP signed note. */
export function signCheckpoint(checkpoint: CheckpointInput, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

/**
 * Verifies a signed checkpoint against known keys and parses it. When `origin` is given, the
 * checkpoint must name it (a key's signature on another log's checkpoint proves nothing here).
 */
export function openCheckpoint(
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  origin?: string,
): OpenedNote & { checkpoint: Checkpoint } {
  const opened = openNote(note, verifiers);
  const checkpoint = parseCheckpoint(opened.text);
  if (origin !== undefined && checkpoint.origin !== origin) throw new NoteError(`checkpoint origin is not ${origin}`);
  return { ...opened, checkpoint };
}
