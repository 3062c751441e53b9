import { bytesEqual } from './bytes.util.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.util.js';
import { verifyConsistency } from './consistency-proof.util.js';
import { NoteError, openNote, parseNote, type NoteSignature, type NoteVerifier } from './signed-note.util.js';
import { parseAddCheckpointRequest } from './witness-request.util.js';

/** The latest checkpoint a witness cosigned for one origin. */
export type WitnessedTree = { size: number; rootHash: Uint8Array };

/** What a witness answers to `add-checkpoint` (C2SP tlog-witness), before it cosigns and stores. */
export type AddCheckpointDecision =
  | { status: 200; checkpoint: Checkpoint; text: string; signatures: NoteSignature[] }
  | { status: 400 | 403 | 404 | 422; reason: string }
  | { status: 409; reason: string; latestSize: number };

/**
 * The tlog-witness checks, in the spec's order: a malformed body is 400, an unknown origin 404,
 * no valid signature from the log's keys 403, an old size above the new one 400, an old size
 * other than the last cosigned one 409 (answer `latestSize`), an equal size with another root
 * 409 (a fork), and a proof that does not verify 422. On 200 the caller stores the new tree
 * (atomically with reading `latest`) and cosigns `text`.
 */
export function checkAddCheckpoint(
  body: string,
  logVerifiers: (origin: string) => readonly NoteVerifier[],
  latest: (origin: string) => WitnessedTree | null,
): AddCheckpointDecision {
  const request = parseAddCheckpointRequest(body);
  if (request === null) return { status: 400, reason: 'malformed add-checkpoint body' };
  let checkpoint: Checkpoint;
  try {
    checkpoint = parseCheckpoint(parseNote(request.checkpoint).text);
  } catch (error) {
    return { status: 400, reason: error instanceof NoteError ? error.message : 'malformed checkpoint' };
  }
  const verifiers = logVerifiers(checkpoint.origin);
  if (verifiers.length === 0) return { status: 404, reason: `unknown log origin ${checkpoint.origin}` };
  let opened;
  try {
    opened = openNote(request.checkpoint, verifiers);
  } catch (error) {
    return { status: 403, reason: error instanceof Error ? error.message : 'checkpoint signature does not verify' };
  }
  if (request.oldSize > checkpoint.size) return { status: 400, reason: 'old size is larger than the checkpoint size' };
  const previous = latest(checkpoint.origin) ?? { size: 0, rootHash: new Uint8Array(0) };
  if (request.oldSize !== previous.size) {
    return { status: 409, reason: `old size ${request.oldSize} is not the last cosigned size`, latestSize: previous.size };
  }
  if (request.oldSize === checkpoint.size && request.oldSize > 0 && !bytesEqual(previous.rootHash, checkpoint.rootHash)) {
    return { status: 409, reason: 'same size, different root: the log forked', latestSize: previous.size };
  }
  const oldRoot = request.oldSize === 0 ? checkpoint.rootHash : previous.rootHash;
  if (!verifyConsistency(request.oldSize, checkpoint.size, oldRoot, checkpoint.rootHash, request.proof)) {
    return { status: 422, reason: 'consistency proof does not verify' };
  }
  return { status: 200, checkpoint, text: opened.text, signatures: opened.verified };
}
