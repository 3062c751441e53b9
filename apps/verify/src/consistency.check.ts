import { bytesEqual, encodeBase64, verifyConsistency } from '@app/tlog';
import { UsageError, type CheckReport } from './check-report.js';
import { checkCheckpoint, type CheckpointTrust } from './checkpoint.check.js';
import { base64Hashes, isIndex, isRecord, readJson, readText } from './verify-inputs.util.js';

export type ConsistencyCommand = { oldPath: string; newPath: string; proofPath?: string; trust: CheckpointTrust };

/**
 * Two checkpoints of one log: both signed, one origin, the new tree no smaller than the old, and
 * (RFC 9162 §2.1.4.2) a proof that it extends the old one. Same size with another root is a fork.
 */
export function verifyConsistencyOf(report: CheckReport, command: ConsistencyCommand): void {
  const older = checkCheckpoint(report, 'old checkpoint', readText(command.oldPath, 'old checkpoint'), command.trust);
  const newer = checkCheckpoint(report, 'new checkpoint', readText(command.newPath, 'new checkpoint'), command.trust);
  report.check(older.origin === newer.origin, `both checkpoints are of the log ${older.origin}`, `the new one is of ${newer.origin}`);
  if (newer.size < older.size) {
    report.fail(`shrink: the new checkpoint has size ${newer.size}, smaller than the old checkpoint's ${older.size}`);
  }
  if (newer.size === older.size) {
    report.check(
      bytesEqual(older.rootHash, newer.rootHash),
      `same tree: both checkpoints have size ${newer.size} and root ${encodeBase64(newer.rootHash)}`,
      `fork: two signed checkpoints of size ${newer.size} with different roots (${encodeBase64(older.rootHash)} and ${encodeBase64(newer.rootHash)})`,
    );
    return;
  }
  if (older.size === 0) {
    report.pass(`consistency: every tree extends the empty tree (old size 0, new size ${newer.size})`);
    return;
  }
  if (command.proofPath === undefined) throw new UsageError(`consistency from size ${older.size} to ${newer.size} needs --proof (GET /v1/public/log/consistency?from=${older.size}&to=${newer.size})`);
  const proof = readJson(command.proofPath, 'consistency proof');
  const hashes = isRecord(proof) ? base64Hashes(proof.proof) : null;
  if (!isRecord(proof) || !isIndex(proof.from) || !isIndex(proof.to) || hashes === null) {
    report.fail(`consistency proof ${command.proofPath}: not {from, to, proof: [base64]}`);
  }
  if (proof.from !== older.size || proof.to !== newer.size) {
    report.fail(`consistency proof: made from size ${proof.from} to ${proof.to}, the checkpoints have sizes ${older.size} and ${newer.size}`);
  }
  report.check(
    verifyConsistency(older.size, newer.size, older.rootHash, newer.rootHash, hashes),
    `consistency: the tree of size ${newer.size} extends the tree of size ${older.size} (RFC 9162 proof of ${hashes.length} hashes)`,
    'fork: the proof does not link the two roots, so the new tree does not extend the old one',
  );
}
