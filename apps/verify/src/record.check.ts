import { Buffer } from 'node:buffer';
import { verify } from 'node:crypto';
import { MAX_ENTRY_BYTES, decodeBase64Strict, leafHash, verifyInclusion } from '@app/tlog';
import { UsageError, type CheckReport } from './check-report.js';
import { checkCheckpoint, type CheckpointTrust } from './checkpoint.check.js';
import { canonicalJson } from './jcs.util.js';
import { base64Hashes, isIndex, isRecord, omit, readJson, readKeys, readText } from './verify-inputs.util.js';

export type RecordCommand = {
  recordPath: string;
  keysPath: string;
  /** With an inclusion proof (`GET /v1/public/registry/:id/proof`): the checkpoint and the log key. */
  inclusion?: { proofPath: string; checkpointPath?: string; trust: CheckpointTrust };
};

/**
 * The signing rule of a record: a record of the transparency log (`kind: "record"`) is signed
 * without `signature` (so `kind` and `keyId` are signed); a record published before it carries no
 * `kind` and was signed without `signature` and `keyId`. `logIndex` is added when served.
 */
function signedPart(record: Record<string, unknown>): { document: Record<string, unknown>; rule: string } {
  if (record.kind === 'record') return { document: omit(record, 'signature', 'logIndex'), rule: 'the record without signature and logIndex' };
  return { document: omit(record, 'signature', 'keyId', 'logIndex'), rule: 'the record without signature, keyId and logIndex (a record from before the log)' };
}

/** The log entry of a record: its JCS bytes without `logIndex`, or wrapped as `legacy-record` for a record from before the log. */
export function recordEntry(record: Record<string, unknown>): Buffer {
  const logged = omit(record, 'logIndex');
  return Buffer.from(canonicalJson(record.kind === 'record' ? logged : { kind: 'legacy-record', record: logged }), 'utf8');
}

export function verifyRecord(report: CheckReport, command: RecordCommand): void {
  const record = readJson(command.recordPath, 'record');
  const keys = readKeys(command.keysPath);
  if (!isRecord(record) || typeof record.keyId !== 'string' || typeof record.signature !== 'string') {
    report.fail(`record ${command.recordPath}: not a signed registry record (no keyId or signature)`);
  }
  if (record.kind !== undefined && record.kind !== 'record') report.fail(`record kind ${JSON.stringify(record.kind)}: not a registry record`);
  const label = `record ${typeof record.id === 'string' ? record.id : command.recordPath}`;
  const jwk = keys.get(record.keyId);
  if (jwk === undefined) report.fail(`${label}: its keyId ${record.keyId} is not among the keys of ${command.keysPath}`);
  report.pass(`${label}: key ${record.keyId} found in ${command.keysPath}`);
  const signature = decodeBase64Strict(record.signature);
  if (signature === null || signature.length !== 64) report.fail(`${label} signature: not 64 bytes of standard base64`);
  const { document, rule } = signedPart(record);
  report.check(
    verify(null, Buffer.from(canonicalJson(document), 'utf8'), jwk.key, signature),
    `${label} signature: Ed25519 by key ${record.keyId} over the RFC 8785 JSON of ${rule}`,
    'does not verify (the record was changed, or signed by another key)',
  );
  if (command.inclusion !== undefined) verifyRecordInclusion(report, label, record, command.inclusion);
}

function verifyRecordInclusion(report: CheckReport, label: string, record: Record<string, unknown>, inclusion: NonNullable<RecordCommand['inclusion']>): void {
  const proof = readJson(inclusion.proofPath, 'inclusion proof');
  const path = isRecord(proof) ? base64Hashes(proof.inclusionProof) : null;
  if (!isRecord(proof) || !isIndex(proof.logIndex) || path === null) {
    report.fail(`inclusion proof ${inclusion.proofPath}: not {logIndex, treeSize, inclusionProof: [base64], checkpoint}`);
  }
  const note = inclusion.checkpointPath !== undefined ? readText(inclusion.checkpointPath, 'checkpoint') : proof.checkpoint;
  if (typeof note !== 'string') throw new UsageError('--proof needs --checkpoint when the proof carries no checkpoint');
  const checkpoint = checkCheckpoint(report, 'checkpoint', note, inclusion.trust);
  const logIndex = proof.logIndex;
  if (record.logIndex !== undefined && record.logIndex !== logIndex) {
    report.fail(`${label}: its logIndex ${String(record.logIndex)} is not the proof's ${logIndex}`);
  }
  if (proof.treeSize !== undefined && proof.treeSize !== checkpoint.size) {
    report.fail(`inclusion proof: made for tree size ${String(proof.treeSize)}, the checkpoint has size ${checkpoint.size} (fetch the proof and its checkpoint together)`);
  }
  const entry = recordEntry(record);
  if (entry.length > MAX_ENTRY_BYTES) report.fail(`${label}: its log entry is ${entry.length} bytes, more than a log entry can hold (${MAX_ENTRY_BYTES})`);
  report.check(
    verifyInclusion(logIndex, checkpoint.size, leafHash(entry), path, checkpoint.rootHash),
    `${label} included in the log: its entry (${entry.length} bytes) at index ${logIndex} of the checkpoint's tree of size ${checkpoint.size}`,
    'the inclusion proof does not lead to the checkpoint root (the record or the log differs)',
  );
}
