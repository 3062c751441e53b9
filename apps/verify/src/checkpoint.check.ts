import {
  NoteError,
  cosignatureTimestamp,
  cosignatureVerifier,
  ed25519NoteVerifier,
  encodeBase64,
  keyIdHex,
  parseCheckpoint,
  parseNote,
  type Checkpoint,
  type NoteSignature,
  type VerifierKey,
} from '@app/tlog';
import { Buffer } from 'node:buffer';
import { UsageError, type CheckReport } from './check-report.js';

/** Whose signatures a checkpoint must carry: the log's, and at least `quorum` of the witnesses'. */
export type CheckpointTrust = { logKey: VerifierKey; witnessKeys: VerifierKey[]; quorum: number };

export function checkpointTrust(logKey: VerifierKey, witnessKeys: VerifierKey[], quorum: number | undefined): CheckpointTrust {
  const names = new Set(witnessKeys.map(keyName));
  if (names.size !== witnessKeys.length) throw new UsageError('a --witness-key is given twice');
  // Without --quorum every named witness must have cosigned: a key given is a key required.
  const needed = quorum ?? witnessKeys.length;
  if (needed > witnessKeys.length) throw new UsageError(`--quorum ${needed} needs at least ${needed} --witness-key`);
  return { logKey, witnessKeys, quorum: needed };
}

const keyName = (key: { name: string; keyId: number }) => `${key.name}+${keyIdHex(key.keyId)}`;

/** The first signature line of a key (later ones of the same key are ignored, as C2SP signed-note does). */
const signatureOf = (signatures: NoteSignature[], key: VerifierKey) => signatures.find((s) => s.name === key.name && s.keyId === key.keyId);

/**
 * Checks a signed checkpoint (C2SP tlog-checkpoint as a signed note): well formed, origin equal to
 * the log key's name, a valid Ed25519 signature by the log key, and at least `quorum` valid
 * cosignature/v1 lines by the given witnesses (a present but invalid one fails). Returns it.
 */
export function checkCheckpoint(report: CheckReport, label: string, note: string, trust: CheckpointTrust): Checkpoint {
  let text: string;
  let signatures: NoteSignature[];
  let checkpoint: Checkpoint;
  try {
    ({ text, signatures } = parseNote(note));
    checkpoint = parseCheckpoint(text);
  } catch (error) {
    if (error instanceof NoteError) report.fail(`${label}: ${error.message}`);
    throw error;
  }
  const summary = `size ${checkpoint.size}, root ${encodeBase64(checkpoint.rootHash)}`;
  report.check(
    checkpoint.origin === trust.logKey.name,
    `${label} origin ${checkpoint.origin}`,
    `is not the log key's name ${trust.logKey.name} (a checkpoint of another log)`,
  );
  const textBytes = Buffer.from(text, 'utf8');
  const logSignature = signatureOf(signatures, trust.logKey);
  if (logSignature === undefined) report.fail(`${label} (${summary}): no signature by the log key ${keyName(trust.logKey)}`);
  report.check(
    ed25519NoteVerifier(trust.logKey.name, trust.logKey.publicKey).verify(textBytes, logSignature.signature),
    `${label} (${summary}) signed by the log key ${keyName(trust.logKey)}`,
    'the Ed25519 signature does not verify (the checkpoint text was changed or signed by another key)',
  );
  let cosigned = 0;
  const missing: string[] = [];
  for (const witness of trust.witnessKeys) {
    const line = signatureOf(signatures, witness);
    if (line === undefined) {
      report.note(`witness ${keyName(witness)}: no cosignature on the ${label}`);
      missing.push(keyName(witness));
      continue;
    }
    const timestamp = cosignatureTimestamp(line);
    const valid = cosignatureVerifier(witness.name, witness.publicKey).verify(textBytes, line.signature);
    const at = timestamp === null ? '' : ` at ${new Date(timestamp * 1000).toISOString()}`;
    report.check(valid, `${label} cosigned by witness ${keyName(witness)}${at} (cosignature/v1)`, 'the cosignature does not verify');
    cosigned++;
  }
  if (trust.witnessKeys.length > 0) {
    report.check(
      cosigned >= trust.quorum,
      `witness quorum on the ${label}: ${cosigned} of ${trust.witnessKeys.length} witnesses cosigned, ${trust.quorum} needed`,
      `below quorum (no cosignature by ${missing.join(', ')})`,
    );
  }
  return checkpoint;
}
