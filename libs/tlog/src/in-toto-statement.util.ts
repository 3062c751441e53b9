import { Buffer } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { DsseError, signEnvelope, verifyEnvelope, type DsseEnvelope, type DsseTrustedKey } from './dsse.util.js';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The DSSE payloadType of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** An in-toto ResourceDescriptor as a statement subject: `digest` is required there. */
export type StatementSubject = {
  name?: string;
  uri?: string;
  digest: Record<string, string>;
  annotations?: Record<string, unknown>;
};

/** in-toto attestation Statement v1. */
export type InTotoStatement<P = unknown> = {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: StatementSubject[];
  predicateType: string;
  predicate: P;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkStatement(value: unknown): asserts value is InTotoStatement {
  if (!isRecord(value) || value._type !== IN_TOTO_STATEMENT_TYPE) throw new DsseError(`not an ${IN_TOTO_STATEMENT_TYPE} statement`);
  if (!Array.isArray(value.subject) || value.subject.length === 0) throw new DsseError('a statement needs at least one subject');
  for (const subject of value.subject as unknown[]) {
    const digest = isRecord(subject) ? subject.digest : undefined;
    if (!isRecord(digest) || Object.keys(digest).length === 0 || Object.values(digest).some((v) => typeof v !== 'string' || v.length === 0)) {
      throw new DsseError('every subject needs a digest');
    }
    if (isRecord(subject) && subject.name !== undefined && typeof subject.name !== 'string') throw new DsseError('a subject name is a string');
  }
  if (typeof value.predicateType !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(value.predicateType)) {
    throw new DsseError('predicateType is a URI');
  }
  if (value.predicate !== undefined && !isRecord(value.predicate)) throw new DsseError('predicate is a JSON object');
}

/** A Statement v1 with its subjects, predicate type URI and predicate, checked. */
export function inTotoStatement<P>(subject: StatementSubject[], predicateType: string, predicate: P): InTotoStatement<P> {
  const statement = { _type: IN_TOTO_STATEMENT_TYPE, subject, predicateType, predicate } as const;
  checkStatement(statement);
  return statement;
}

/** A DSSE envelope carrying the statement as JSON, signed with Ed25519 keys. */
export function signInTotoStatement(statement: InTotoStatement, signers: readonly { keyid: string; privateKey: KeyObject }[]): DsseEnvelope {
  checkStatement(statement);
  return signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement), 'utf8'), signers);
}

/** Verifies an envelope, then parses and checks the in-toto statement it carries. */
export function verifyInTotoEnvelope(envelope: unknown, trusted: readonly DsseTrustedKey[], threshold = 1): InTotoStatement {
  const { payloadType, payload } = verifyEnvelope(envelope, trusted, threshold);
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new DsseError(`payloadType is not ${IN_TOTO_PAYLOAD_TYPE}`);
  let statement: unknown;
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new DsseError('payload is not JSON');
  }
  checkStatement(statement);
  return statement;
}
