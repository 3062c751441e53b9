import { Buffer } from 'node:buffer';
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@app/integrity';
import {
  consistencyProof,
  ed25519Cosigner,
  ed25519NoteSigner,
  encodeBase64,
  hashAtFromLeafHashes,
  inclusionProof,
  inTotoStatement,
  leafHash,
  merkleRoot,
  signCheckpoint,
  signInTotoStatement,
  type DsseEnvelope,
  type NoteSigner,
} from '@app/tlog';
import { runVerify } from '../verify-cli.js';

export const ORIGIN = 'clearance.example/registry';
/** A fixed cosignature time, so that notes are reproducible within a test. */
const COSIGNED_AT = 1_796_000_000;

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** An Ed25519 registry key as `/v1/public/keys` serves it (kid: the first 16 hex of SHA-256 of the raw key). */
export function registryKey(): { privateKey: KeyObject; kid: string; jwk: Record<string, string> } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  const kid = sha256Hex(Buffer.from(x, 'base64url')).slice(0, 16);
  return { privateKey, kid, jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' } };
}

export type HistoryRow = {
  seq: number;
  type: string;
  actor: { id: string; role: string; organisationId: string | null } | 'system';
  fromState: string;
  toState: string;
  at: string;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
};

/** `n` history rows of a case, hashed and chained per SPEC "Integrity" (with the server's canonicaliser). */
export function historyRows(caseId: string, n: number): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let prevHash = '0'.repeat(64);
  const actor = { id: randomUUID(), role: 'developer', organisationId: randomUUID() };
  for (let seq = 1; seq <= n; seq++) {
    const row = {
      seq,
      type: seq === 1 ? 'CREATE' : 'UPDATE_ASSESSMENT',
      actor: seq % 3 === 0 ? ('system' as const) : actor,
      fromState: 'draft',
      toState: 'draft',
      at: new Date(Date.UTC(2026, 10, 30, 12, 0, seq)).toISOString(),
      payload: { note: `step ${seq} — é 😀`, n: seq * 1.5, nested: { b: [1, null, true], a: 'x' } },
      prevHash,
    };
    const hash = sha256Hex(canonicalJson({ caseId, ...row }));
    rows.push({ ...row, hash });
    prevHash = hash;
  }
  return rows;
}

/**
 * A registry and its log, built in the test with libs/tlog and node:crypto: signed records,
 * entries, checkpoints signed by the log and cosigned by witnesses, proofs and attestations,
 * written as files in a temporary directory, and the verifier run on them.
 */
export class VerifyWorld {
  readonly dir = mkdtempSync(join(tmpdir(), 'clearance-verify-'));
  readonly registry = registryKey();
  readonly logSigner: NoteSigner & { verifierKey: string };
  readonly witnesses: (NoteSigner & { verifierKey: string })[];
  readonly leafHashes: Buffer[] = [];
  private files = 0;

  constructor(witnessCount = 3) {
    this.logSigner = ed25519NoteSigner(ORIGIN, generateKeyPairSync('ed25519').privateKey);
    this.witnesses = Array.from({ length: witnessCount }, (_, i) =>
      ed25519Cosigner(`witness-${i + 1}.example`, generateKeyPairSync('ed25519').privateKey, () => COSIGNED_AT),
    );
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  get size(): number {
    return this.leafHashes.length;
  }

  /** Appends an entry (its bytes) to the log; returns its index. */
  append(entry: Uint8Array): number {
    this.leafHashes.push(leafHash(entry));
    return this.leafHashes.length - 1;
  }

  /** Appends `n` filler entries. */
  appendFiller(n: number): void {
    for (let i = 0; i < n; i++) this.append(Buffer.from(canonicalJson({ kind: 'filler', i: this.size }), 'utf8'));
  }

  /** A registry record signed per SPEC (without `signature`, so `kind` and `keyId` are signed), logged, served with its `logIndex`. */
  record(fields: Record<string, unknown> = {}): Record<string, unknown> {
    const unsigned = {
      kind: 'record',
      id: randomUUID(),
      caseId: randomUUID(),
      seq: 9,
      state: 'released',
      model: { name: 'model-a', version: '1.0', checkpointSha256: sha256Hex('weights'), baseModels: [] },
      developer: { id: randomUUID(), name: 'Developer Ltd' },
      tier: 'low',
      revision: 1,
      revisionHash: sha256Hex('revision'),
      policyPack: 'caip-2025@1',
      clearance: [{ component: 'model_parameters', release: 'open' }],
      opinions: [{ kind: 'unmodified', assurance: 'reasonable', basis: null, conditions: [], issuedAt: '2026-11-30T12:00:00.000Z', auditFirm: { id: randomUUID(), name: 'Audit LLP' } }],
      releasedAt: '2026-11-30T12:00:01.000Z',
      publishedAt: '2026-11-30T12:00:02.000Z',
      chainHead: { seq: 9, hash: sha256Hex('head') },
      redactions: [],
      keyId: this.registry.kid,
      ...fields,
    };
    const signature = sign(null, Buffer.from(canonicalJson(unsigned), 'utf8'), this.registry.privateKey).toString('base64');
    const signed = { ...unsigned, signature };
    const logIndex = this.append(Buffer.from(canonicalJson(signed), 'utf8'));
    return { ...signed, logIndex };
  }

  root(size = this.size): Buffer {
    return merkleRoot(this.leafHashes.slice(0, size));
  }

  /** The checkpoint of the first `size` entries, signed by the log and cosigned by the first `cosigners` witnesses. */
  checkpoint(size = this.size, cosigners = this.witnesses.length, rootHash: Uint8Array = this.root(size)): string {
    return signCheckpoint({ origin: ORIGIN, size, rootHash }, [this.logSigner, ...this.witnesses.slice(0, cosigners)]);
  }

  inclusion(index: number, size = this.size): string[] {
    return inclusionProof(index, size, hashAtFromLeafHashes(this.leafHashes.slice(0, size))).map(encodeBase64);
  }

  consistency(from: number, to: number): string[] {
    return consistencyProof(from, to, hashAtFromLeafHashes(this.leafHashes.slice(0, to))).map(encodeBase64);
  }

  /** `/v1/public/registry/:id/proof` for a logged record. */
  recordProof(record: Record<string, unknown>): Record<string, unknown> {
    const logIndex = record.logIndex as number;
    return { logIndex, treeSize: this.size, inclusionProof: this.inclusion(logIndex), checkpoint: this.checkpoint() };
  }

  /** An attestation of weights, signed with the registry key. */
  attestation(weightsSha256: string, name = 'model-a@1.0'): DsseEnvelope {
    const statement = inTotoStatement([{ name, digest: { sha256: weightsSha256 } }], 'https://clearance.example/release-decision/v1', { state: 'released' });
    return signInTotoStatement(statement, [{ keyid: this.registry.kid, privateKey: this.registry.privateKey }]);
  }

  get keys(): { keys: Record<string, string>[] } {
    return { keys: [this.registry.jwk] };
  }

  /** Writes JSON (or text, for a string) to a new file; returns its path. */
  file(content: unknown, name = 'input'): string {
    const path = join(this.dir, `${++this.files}-${name}`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  }

  witnessKeyArgs(count = this.witnesses.length): string[] {
    return this.witnesses.slice(0, count).flatMap((w) => ['--witness-key', w.verifierKey]);
  }
}

export type VerifyRun = { code: number; out: string[]; err: string[]; text: string };

/** Runs the verifier in-process with `argv`, capturing what it prints. */
export async function verify(...argv: string[]): Promise<VerifyRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runVerify(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err, text: [...out, ...err].join('\n') };
}
