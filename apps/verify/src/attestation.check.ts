import type { Buffer } from 'node:buffer';
import { DsseError, IN_TOTO_PAYLOAD_TYPE, IN_TOTO_STATEMENT_TYPE, verifyEnvelope } from '@app/tlog';
import { type CheckReport } from './check-report.js';
import { isRecord, readJson, readKeys, sha256File } from './verify-inputs.util.js';

export type AttestationCommand = {
  envelopePath: string;
  keysPath: string;
  /** The weights to compare with the subject digest: a file to hash, or its lowercase hex SHA-256. */
  weights?: { path: string } | { sha256: string };
  /** The registry record the attestation is derived from: its model version and weights digest must be the subject. */
  recordPath?: string;
};

type Subject = { name: string | undefined; sha256: string };

function subjectsOf(statement: Record<string, unknown>): Subject[] | null {
  if (!Array.isArray(statement.subject) || statement.subject.length === 0) return null;
  const subjects = (statement.subject as unknown[]).map((s) =>
    isRecord(s) && isRecord(s.digest) && typeof s.digest.sha256 === 'string' && /^[0-9a-f]{64}$/.test(s.digest.sha256)
      ? { name: typeof s.name === 'string' ? s.name : undefined, sha256: s.digest.sha256 }
      : null,
  );
  return subjects.every((s): s is Subject => s !== null) ? subjects : null;
}

/**
 * A registry attestation: a DSSE envelope signed by a registry key over PAE(payloadType, payload),
 * carrying an in-toto Statement v1 whose subject digest is the weights' SHA-256.
 */
export async function verifyAttestation(report: CheckReport, command: AttestationCommand): Promise<void> {
  const envelope = readJson(command.envelopePath, 'attestation');
  const keys = [...readKeys(command.keysPath).values()];
  if (!isRecord(envelope)) report.fail(`attestation ${command.envelopePath}: not a DSSE envelope`);
  report.check(
    envelope.payloadType === IN_TOTO_PAYLOAD_TYPE,
    `attestation payloadType ${IN_TOTO_PAYLOAD_TYPE}`,
    `is ${JSON.stringify(envelope.payloadType)}`,
  );
  let payload: Buffer;
  let signers: (string | undefined)[];
  try {
    ({ payload, keyids: signers } = verifyEnvelope(envelope, keys.map(({ kid, key }) => ({ keyid: kid, publicKey: key }))));
  } catch (error) {
    if (error instanceof DsseError) report.fail(`attestation DSSE signature by a key of ${command.keysPath}: ${error.message} (the envelope was changed or signed by another key)`);
    throw error;
  }
  report.pass(`attestation DSSE signature: Ed25519 by key ${signers.join(', ')} over PAE(payloadType, payload)`);
  let statement: unknown;
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch {
    report.fail('attestation payload: not JSON');
  }
  if (!isRecord(statement)) report.fail('attestation payload: not a JSON object');
  report.check(statement._type === IN_TOTO_STATEMENT_TYPE, `attestation statement _type ${IN_TOTO_STATEMENT_TYPE}`, `is ${JSON.stringify(statement._type)}`);
  const subjects = subjectsOf(statement);
  if (subjects === null) report.fail('attestation subject: needs at least one subject, each with a lowercase hex digest.sha256');
  const named = subjects.map((s) => `${s.name ?? '(unnamed)'} sha256:${s.sha256}`).join(', ');
  report.pass(`attestation statement: predicateType ${String(statement.predicateType)}, subject ${named}`);
  if (command.recordPath !== undefined) checkRecordSubject(report, readJson(command.recordPath, 'record'), subjects);
  if (command.weights === undefined) {
    report.note('weights not compared: give --weights <file> or --weights-sha256 <hex>');
    return;
  }
  const weights = 'path' in command.weights ? await sha256File(command.weights.path) : command.weights.sha256;
  const source = 'path' in command.weights ? `weights ${command.weights.path}` : 'the given weights';
  const match = subjects.find((s) => s.sha256 === weights);
  if (match === undefined) report.fail(`${source}: SHA-256 ${weights} is not the attested digest: the attestation is for other weights (${named})`);
  report.pass(`${source}: SHA-256 ${weights} is the digest of the attested subject ${match.name ?? '(unnamed)'}`);
}

/** SPEC: the subject of a record's attestation is `{name: "<model>@<version>", digest: {sha256: checkpointSha256}}`. */
function checkRecordSubject(report: CheckReport, record: unknown, subjects: Subject[]): void {
  const model = isRecord(record) && isRecord(record.model) ? record.model : null;
  if (model === null || typeof model.name !== 'string' || typeof model.version !== 'string') report.fail('record: not a registry record with a model name and version');
  const name = `${model.name}@${model.version}`;
  const digest = model.checkpointSha256;
  if (typeof digest !== 'string') report.fail(`record: model ${name} has no checkpointSha256, so it has no attestation`);
  report.check(
    subjects.some((s) => s.name === name && s.sha256 === digest),
    `attestation subject is the record's model ${name} sha256:${digest}`,
    'the attestation is of another model version or other weights than the record',
  );
}
