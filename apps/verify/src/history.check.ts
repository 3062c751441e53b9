import { Buffer } from 'node:buffer';
import { leafHash, verifyInclusion } from '@app/tlog';
import { UsageError, type CheckReport } from './check-report.js';
import { checkCheckpoint, type CheckpointTrust } from './checkpoint.check.js';
import { canonicalJson } from './jcs.util.js';
import { base64Hashes, hexHash, hexHashes, isIndex, isRecord, omit, readJson, readText, sha256Hex } from './verify-inputs.util.js';

export type HistoryCommand = {
  historyPath: string;
  caseId?: string;
  /** With a history proof (`GET /v1/cases/:id/history/proof`): the checkpoint and the log key. */
  proof?: { proofPath: string; checkpointPath?: string; trust: CheckpointTrust };
};

/** `prevHash` of a case's first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** SPEC "Integrity": lowercase hex SHA-256 of the JCS of the history item without `hash`, with the case id. */
export function historyRowHash(caseId: string, row: Record<string, unknown>): string {
  const { seq, type, actor, fromState, toState, at, payload, prevHash } = row;
  return sha256Hex(canonicalJson({ caseId, seq, type, actor, fromState, toState, at, payload, prevHash }));
}

/** The rows of an export: `{items}` (one page, or the pages' items joined) or a bare array. */
function rowsOf(json: unknown): { rows: unknown[]; caseId?: unknown } | null {
  if (Array.isArray(json)) return { rows: json };
  if (isRecord(json) && Array.isArray(json.items)) return { rows: json.items, caseId: json.caseId };
  return null;
}

function caseIdOf(report: CheckReport, command: HistoryCommand, exported: unknown, proof: Record<string, unknown> | null, rows: unknown[]): string {
  const candidates = [
    ['--case', command.caseId],
    ['the history proof', proof?.caseId],
    ['the history export', exported],
    ['the history rows', (rows.find((r) => isRecord(r) && r.caseId !== undefined) as Record<string, unknown> | undefined)?.caseId],
  ].filter((c): c is [string, unknown] => c[1] !== undefined);
  if (candidates.length === 0) throw new UsageError('history rows are hashed with their case id: give --case <id>');
  const [source, caseId] = candidates[0];
  if (typeof caseId !== 'string') report.fail(`case id from ${source}: not a string`);
  const other = candidates.find(([, id]) => id !== caseId);
  if (other !== undefined) report.fail(`case id: ${source} says ${caseId}, ${other[0]} says ${String(other[1])}`);
  return caseId;
}

/**
 * A case's history export: every row's hash recomputed and linked to the previous row; with a
 * history proof, the head committed by a `heads` entry is the chain's row at that seq, its leaf is
 * in the entry's heads tree, and the entry is in the log under a signed checkpoint.
 */
export function verifyHistory(report: CheckReport, command: HistoryCommand): void {
  const exported = rowsOf(readJson(command.historyPath, 'history'));
  if (exported === null) report.fail(`history ${command.historyPath}: not {items: [...]} nor an array of history rows`);
  const proof = command.proof === undefined ? null : readJson(command.proof.proofPath, 'history proof');
  if (proof !== null && !isRecord(proof)) report.fail(`history proof ${command.proof?.proofPath ?? ''}: not a JSON object`);
  const caseId = caseIdOf(report, command, exported.caseId, proof, exported.rows);
  const rows = exported.rows;
  if (rows.length === 0) report.fail(`history of case ${caseId}: no rows (every case has at least its creation)`);
  const hashes: string[] = [];
  let prevHash = GENESIS_HASH;
  rows.forEach((row, i) => {
    const seq = i + 1;
    if (!isRecord(row)) report.fail(`history row ${seq}: not a JSON object`);
    if (row.seq !== seq) report.fail(`history row ${seq}: missing (the row in its place has seq ${JSON.stringify(row.seq)}); rows must be complete and in order`);
    if (row.prevHash !== prevHash) report.fail(`history row ${seq}: its prevHash ${String(row.prevHash)} is not the hash of row ${seq - 1} (${prevHash})`);
    const hash = historyRowHash(caseId, row);
    if (row.hash !== hash) report.fail(`history row ${seq}: its hash ${String(row.hash)} is not the hash of its content (${hash}): the row was changed`);
    hashes.push(hash);
    prevHash = hash;
  });
  report.pass(`history of case ${caseId}: ${rows.length} rows, each hash recomputed (SHA-256 of RFC 8785 JSON) and linked to the one before; head seq ${rows.length} ${prevHash}`);
  if (command.proof !== undefined && proof !== null) verifyHistoryProof(report, caseId, hashes, proof, command.proof);
}

function verifyHistoryProof(
  report: CheckReport,
  caseId: string,
  hashes: string[],
  proof: Record<string, unknown>,
  options: NonNullable<HistoryCommand['proof']>,
): void {
  const { head, headsEntry, headsIndex } = proof;
  const headsPath = hexHashes(proof.headsInclusion);
  const logPath = base64Hashes(proof.logInclusion);
  const headsRoot = isRecord(headsEntry) ? hexHash(headsEntry.root) : null;
  if (
    !isRecord(head) || !isIndex(head.seq) || hexHash(head.hash) === null ||
    !isRecord(headsEntry) || !isIndex(headsEntry.count) || headsRoot === null || !isIndex(headsEntry.logIndex) ||
    !isIndex(headsIndex) || headsPath === null || logPath === null
  ) {
    report.fail(`history proof ${options.proofPath}: not {head: {seq, hash}, headsEntry: {kind, at, count, root, logIndex}, headsIndex, headsInclusion: [hex], logInclusion: [base64], checkpoint}`);
  }
  const seq = head.seq;
  report.check(
    seq >= 1 && seq <= hashes.length && hashes[seq - 1] === head.hash,
    `history proof head seq ${seq} ${String(head.hash)} is row ${seq} of the recomputed chain`,
    seq > hashes.length ? `the export has only ${hashes.length} rows` : `row ${seq} hashes to ${hashes[seq - 1] ?? '(none)'}: history was rewritten after the heads entry`,
  );
  report.check(headsEntry.kind === 'heads', 'heads entry kind heads', `is ${JSON.stringify(headsEntry.kind)}`);
  const leaf = Buffer.from(canonicalJson({ caseIdHash: sha256Hex(caseId), seq, hash: head.hash }), 'utf8');
  report.check(
    verifyInclusion(headsIndex, headsEntry.count, leafHash(leaf), headsPath, headsRoot),
    `case head leaf {caseIdHash, seq, hash} at index ${headsIndex} of the heads tree of ${headsEntry.count} cases (root ${String(headsEntry.root)})`,
    'the heads inclusion proof does not lead to the heads entry root',
  );
  const note = options.checkpointPath !== undefined ? readText(options.checkpointPath, 'checkpoint') : proof.checkpoint;
  if (typeof note !== 'string') throw new UsageError('--proof needs --checkpoint when the history proof carries no checkpoint');
  const checkpoint = checkCheckpoint(report, 'checkpoint', note, options.trust);
  const entry = Buffer.from(canonicalJson(omit(headsEntry, 'logIndex')), 'utf8');
  report.check(
    verifyInclusion(headsEntry.logIndex, checkpoint.size, leafHash(entry), logPath, checkpoint.rootHash),
    `heads entry (${entry.length} bytes) included in the log at index ${headsEntry.logIndex} of the checkpoint's tree of size ${checkpoint.size}`,
    'the log inclusion proof does not lead to the checkpoint root (the entry or the log differs)',
  );
}
