import { keyIdHex } from './note-key.util.js';
import { NoteError, openNote, parseNote, signNote, type NoteVerifier } from './signed-note.util.js';

/**
 * Adds the cosignatures of a witness response (signature lines, C2SP tlog-witness) to a signed
 * checkpoint: the response is read as signatures of the checkpoint text and verified with the
 * witness keys the log trusts; unknown lines are dropped, a known one that fails throws
 * NoteError. A witness's earlier cosignature is replaced by its new one.
 */
export function addCosignatures(signedCheckpoint: string, response: string, witnesses: readonly NoteVerifier[]): string {
  const current = parseNote(signedCheckpoint);
  if (response.length === 0 || !response.endsWith('\n')) throw new NoteError('malformed witness response');
  const { verified } = openNote(`${current.text}\n${response}`, witnesses);
  const fresh = new Set(verified.map((s) => `${s.name}+${keyIdHex(s.keyId)}`));
  const kept = current.signatures.filter((s) => !fresh.has(`${s.name}+${keyIdHex(s.keyId)}`));
  return signNote(current.text, [], [...kept, ...verified]);
}
