import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ADVISORY_LOCKS, advisoryXactLock, iso, type Db } from '../sql.util.js';
import type { CaseRedactionRow } from './redaction.repository.js';

export interface SigningKeyRow {
  keyId: string;
  publicKeyPem: string;
  privateKeyPem: string;
  active: boolean;
  createdAt: Date;
}

/** What a registry record is built from: the case as of one history seq. */
export interface RegistrySourceRow {
  caseId: string;
  seq: number;
  state: string;
  at: string;
  hash: string;
  /** The history up to `seq` entered `cleared`: the audit completed at least once. */
  everCleared: boolean;
  developer: { id: string; name: string };
  model: { name: string; version: string; checkpointSha256: string | null; baseModels: unknown[] };
  policyPack: string;
  releasedAt: string | null;
  revision: { number: number; hash: string; tier: string | null; assessment: Record<string, unknown> } | null;
  opinions: Array<{
    auditFirm: { id: string; name: string };
    kind: string;
    assurance: string;
    basis: string | null;
    conditions: Array<{ text: string; component?: string; maxRelease?: string }>;
    issuedAt: string;
  }>;
}

export interface RegistryRecordRow {
  id: string;
  publishedAt: string;
  document: Record<string, unknown>;
}

/** A case-insensitive LIKE pattern matching `text` anywhere, its wildcards taken literally. */
const containsPattern = (text: string | undefined): string | null =>
  text === undefined ? null : `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The record as served: its signed document, with `logIndex` once it is in the transparency log. */
const withLogIndex = (row: { document: Record<string, unknown>; logIndex: string | number | null }): Record<string, unknown> =>
  row.logIndex === null ? row.document : { ...row.document, logIndex: Number(row.logIndex) };

/** The case as of one history row, as `publicationSource` reads it (JSON from Postgres). */
interface SourceHeadJson {
  state: string;
  at: string;
  hash: string;
  everCleared: boolean;
  policyPackId: string;
  policyPackVersion: string;
  releasedAt: string | null;
  developerId: string;
  developerName: string;
  modelName: string;
  modelVersion: string;
  checkpointSha256: string | null;
  baseModels: unknown[];
  revision: { number: number; hash: string; tier: string | null; assessment: Record<string, unknown> } | null;
  opinions: Array<{
    firmId: string;
    firmName: string;
    kind: string;
    assurance: string;
    basis: string | null;
    conditions: RegistrySourceRow['opinions'][number]['conditions'];
    issuedAt: string;
  }>;
}

const sourceRow = (caseId: string, seq: number, head: SourceHeadJson): RegistrySourceRow => ({
  caseId,
  seq,
  state: head.state,
  at: iso(head.at)!,
  hash: head.hash,
  everCleared: head.everCleared,
  developer: { id: head.developerId, name: head.developerName },
  model: { name: head.modelName, version: head.modelVersion, checkpointSha256: head.checkpointSha256, baseModels: head.baseModels },
  policyPack: `${head.policyPackId}@${head.policyPackVersion}`,
  releasedAt: iso(head.releasedAt),
  revision: head.revision ? { number: head.revision.number, hash: head.revision.hash, tier: head.revision.tier, assessment: head.revision.assessment } : null,
  opinions: head.opinions.map((o) => ({
    auditFirm: { id: o.firmId, name: o.firmName },
    kind: o.kind,
    assurance: o.assurance,
    basis: o.basis ?? null,
    conditions: o.conditions,
    issuedAt: iso(o.issuedAt)!,
  })),
});

export interface ChainHeadRow {
  caseId: string;
  seq: number;
  hash: string;
}

/** Signing keys, signed records and checkpoints of the public registry. */
@Injectable()
export class RegistryRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async activeKey(db: Db = this.dataSource): Promise<SigningKeyRow | null> {
    const [row] = await db.query(
      `SELECT key_id AS "keyId", public_key_pem AS "publicKeyPem", private_key_pem AS "privateKeyPem", active, created_at AS "createdAt"
         FROM registry_signing_keys WHERE active`,
    );
    return row ?? null;
  }

  /** Inserts the key unless another process stored an active one first (the partial unique index). */
  async insertKeyIfNoneActive(key: { keyId: string; publicKeyPem: string; privateKeyPem: string }, db: Db = this.dataSource): Promise<void> {
    await db.query(
      `INSERT INTO registry_signing_keys (key_id, public_key_pem, private_key_pem) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [key.keyId, key.publicKeyPem, key.privateKeyPem],
    );
  }

  /** Retires the active key (it stays listed, so what it signed stays verifiable). */
  async retireActiveKeys(db: Db): Promise<void> {
    await db.query(`UPDATE registry_signing_keys SET active = false, retired_at = now() WHERE active`);
  }

  /** Makes `key` the active one, listing it if new; call after retireActiveKeys in one transaction. */
  async activateKey(key: { keyId: string; publicKeyPem: string; privateKeyPem: string }, db: Db): Promise<void> {
    await db.query(
      `INSERT INTO registry_signing_keys (key_id, public_key_pem, private_key_pem) VALUES ($1, $2, $3)
       ON CONFLICT (key_id) DO UPDATE SET active = true, retired_at = NULL`,
      [key.keyId, key.publicKeyPem, key.privateKeyPem],
    );
  }

  /** Public parts of every key ever used, oldest first. */
  async publicKeys(db: Db = this.dataSource): Promise<Array<{ keyId: string; publicKeyPem: string; active: boolean; createdAt: Date }>> {
    return db.query(
      `SELECT key_id AS "keyId", public_key_pem AS "publicKeyPem", active, created_at AS "createdAt"
         FROM registry_signing_keys ORDER BY created_at, key_id`,
    );
  }

  /**
   * Everything publishing the record of case `caseId` as of history row `seq` reads, in one round
   * trip: whether it is already published, the case as of that row (null when there is no such row),
   * the case's redaction orders, the active signing key and the publication time (the Postgres clock).
   */
  async publicationSource(
    caseId: string,
    seq: number,
    clearedState: string,
    db: Db = this.dataSource,
  ): Promise<{ exists: boolean; source: RegistrySourceRow | null; redactions: CaseRedactionRow[]; activeKey: SigningKeyRow | null; now: string }> {
    const [row] = await db.query(
      `SELECT EXISTS (SELECT 1 FROM registry_records WHERE case_id = $1 AND seq = $2) AS exists,
              date_trunc('milliseconds', now()) AS now,
              (SELECT json_build_object('keyId', key_id, 'publicKeyPem', public_key_pem, 'privateKeyPem', private_key_pem, 'active', active, 'createdAt', created_at)
                 FROM registry_signing_keys WHERE active) AS "activeKey",
              coalesce((SELECT json_agg(json_build_object('path', path, 'reason', reason, 'seq', seq) ORDER BY seq)
                          FROM case_redactions WHERE case_id = $1), '[]') AS redactions,
              (SELECT row_to_json(head) FROM (
                 SELECT e.to_state AS state, e.at, e.hash,
                        EXISTS (SELECT 1 FROM case_events p WHERE p.case_id = e.case_id AND p.seq <= e.seq AND p.to_state = $3) AS "everCleared",
                        c.policy_pack_id AS "policyPackId", c.policy_pack_version AS "policyPackVersion",
                        CASE WHEN c.released_at <= e.at THEN c.released_at END AS "releasedAt",
                        o.id AS "developerId", o.name AS "developerName",
                        m.name AS "modelName", m.version AS "modelVersion", m.checkpoint_sha256 AS "checkpointSha256", m.base_models AS "baseModels",
                        (SELECT row_to_json(r) FROM (SELECT number, hash, tier, assessment FROM revisions
                                                      WHERE case_id = e.case_id AND submitted_at <= e.at ORDER BY number DESC LIMIT 1) r) AS revision,
                        -- Opinions live at that moment on that revision; the auditor's firm is public, the auditor is not.
                        (SELECT coalesce(json_agg(json_build_object('firmId', f.id, 'firmName', f.name, 'kind', op.kind, 'assurance', op.assurance,
                                                                    'basis', op.basis, 'conditions', op.conditions, 'issuedAt', op.issued_at)
                                                  ORDER BY op.issued_at, op.id), '[]')
                           FROM opinions op
                           JOIN users u ON u.id = op.auditor_id
                           JOIN organisations f ON f.id = u.organisation_id
                          WHERE op.case_id = e.case_id AND op.issued_at <= e.at
                            AND op.revision_hash = (SELECT hash FROM revisions WHERE case_id = e.case_id AND submitted_at <= e.at ORDER BY number DESC LIMIT 1)
                            AND NOT EXISTS (SELECT 1 FROM opinion_voids v WHERE v.opinion_id = op.id AND v.voided_at <= e.at)) AS opinions
                   FROM case_events e
                   JOIN cases c ON c.id = e.case_id
                   JOIN organisations o ON o.id = c.developer_organisation_id
                   JOIN model_versions m ON m.id = c.model_version_id
                  WHERE e.case_id = $1 AND e.seq = $2) head) AS head`,
      [caseId, seq, clearedState],
    );
    const key = row.activeKey as (Omit<SigningKeyRow, 'createdAt'> & { createdAt: string }) | null;
    return {
      exists: row.exists,
      now: iso(row.now)!,
      activeKey: key ? { ...key, createdAt: new Date(key.createdAt) } : null,
      redactions: row.redactions,
      source: row.head ? sourceRow(caseId, seq, row.head) : null,
    };
  }

  /**
   * Stores signed records with their long texts and withheld values, and marks the jobs' outbox rows
   * `acknowledge` processed, in one statement; a record whose (case, seq) is already stored is
   * skipped with its texts and values. Returns the ids stored, in the order given.
   */
  async insertRecords(
    records: ReadonlyArray<{
      id: string;
      caseId: string;
      seq: number;
      publishedAt: string;
      modelName: string;
      document: object;
      texts: ReadonlyArray<{ sha256: string; text: string }>;
      withheld: ReadonlyArray<{ path: string; reason: string; salt: string; value: unknown }>;
    }>,
    acknowledge: readonly string[],
    db: Db,
  ): Promise<string[]> {
    const texts = records.flatMap((r) => r.texts.map((t) => ({ recordId: r.id, ...t })));
    const withheld = records.flatMap((r) => r.withheld.map(({ path, reason, salt, value }, position) => ({ record_id: r.id, position, path, reason, salt, value })));
    const rows: Array<{ id: string }> = await db.query(
      `WITH stored AS (
         INSERT INTO registry_records (id, case_id, seq, published_at, model_name, document)
         SELECT id, case_id, seq, published_at, model_name, document
           FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::text[], $6::jsonb[]) WITH ORDINALITY
                AS r(id, case_id, seq, published_at, model_name, document, ord)
          ORDER BY ord
         ON CONFLICT (case_id, seq) DO NOTHING RETURNING id
       ), texts AS (
         INSERT INTO registry_record_texts (record_id, sha256, text)
         SELECT t.record_id, t.sha256, t.text FROM unnest($7::uuid[], $8::text[], $9::text[]) AS t(record_id, sha256, text)
          WHERE t.record_id IN (SELECT id FROM stored)
         ON CONFLICT DO NOTHING
       ), withheld AS (
         INSERT INTO registry_withheld_values (record_id, position, path, reason, salt, value)
         SELECT w.record_id, w.position, w.path, w.reason, w.salt, w.value
           FROM jsonb_to_recordset($10::jsonb) AS w(record_id uuid, position int, path text, reason text, salt text, value jsonb)
          WHERE w.record_id IN (SELECT id FROM stored)
       ), acknowledged AS (
         UPDATE outbox SET processed_at = now() WHERE id = ANY($11::uuid[]) AND processed_at IS NULL
       )
       SELECT id FROM stored`,
      [
        records.map((r) => r.id),
        records.map((r) => r.caseId),
        records.map((r) => r.seq),
        records.map((r) => r.publishedAt),
        records.map((r) => r.modelName),
        records.map((r) => JSON.stringify(r.document)),
        texts.map((t) => t.recordId),
        texts.map((t) => t.sha256),
        texts.map((t) => t.text),
        JSON.stringify(withheld),
        acknowledge,
      ],
    );
    const stored = new Set(rows.map((r) => r.id));
    return records.map((r) => r.id).filter((id) => stored.has(id));
  }

  async findRecord(id: string, db: Db = this.dataSource): Promise<Record<string, unknown> | null> {
    const [row] = await db.query(
      `SELECT r.document, e.idx AS "logIndex" FROM registry_records r LEFT JOIN registry_log_entries e ON e.record_id = r.id WHERE r.id = $1`,
      [id],
    );
    return row ? withLogIndex(row) : null;
  }

  /** For each of these model versions with a published record, what its newest record says of the model. */
  async publishedModels(
    modelVersionIds: readonly string[],
    db: Db = this.dataSource,
  ): Promise<Array<{ modelVersionId: string; recordId: string; name: string; version: string; checkpointSha256: string | null }>> {
    if (modelVersionIds.length === 0) return [];
    return db.query(
      `SELECT DISTINCT ON (c.model_version_id) c.model_version_id AS "modelVersionId", r.id AS "recordId",
              r.document->'model'->>'name' AS name, r.document->'model'->>'version' AS version,
              r.document->'model'->>'checkpointSha256' AS "checkpointSha256"
         FROM registry_records r JOIN cases c ON c.id = r.case_id
        WHERE c.model_version_id = ANY($1::uuid[])
        ORDER BY c.model_version_id, r.published_at DESC, r.id DESC`,
      [modelVersionIds],
    );
  }

  /**
   * Newest first, after the keyset `(publishedAt, id)`, optionally for one model name, one case, or
   * names containing a text (case-insensitive; the developer's name as the record published it).
   */
  async page(
    filter: { model?: string; modelContains?: string; developer?: string; caseId?: string },
    after: [string, string] | null,
    limit: number,
    db: Db = this.dataSource,
  ): Promise<RegistryRecordRow[]> {
    const rows = await db.query(
      `SELECT r.id, r.published_at AS "publishedAt", r.document, e.idx AS "logIndex"
         FROM registry_records r LEFT JOIN registry_log_entries e ON e.record_id = r.id
        WHERE ($1::text IS NULL OR r.model_name = $1) AND ($2::uuid IS NULL OR r.case_id = $2)
          AND ($3::timestamptz IS NULL OR (r.published_at, r.id) < ($3::timestamptz, $4::uuid))
          AND ($6::text IS NULL OR lower(r.model_name) LIKE $6)
          AND ($7::text IS NULL OR lower(r.document #>> '{developer,name}') LIKE $7)
        ORDER BY r.published_at DESC, r.id DESC LIMIT $5`,
      [filter.model ?? null, filter.caseId ?? null, after?.[0] ?? null, after?.[1] ?? null, limit, containsPattern(filter.modelContains), containsPattern(filter.developer)],
    );
    return rows.map((r: RegistryRecordRow & { publishedAt: Date | string; logIndex: string | null }) => ({
      id: r.id,
      publishedAt: iso(r.publishedAt)!,
      document: withLogIndex(r),
    }));
  }

  /** Every case's chain head (cases with no history yet have none). */
  async chainHeads(db: Db = this.dataSource): Promise<ChainHeadRow[]> {
    return db.query(`SELECT id AS "caseId", last_seq AS seq, head_hash AS hash FROM cases WHERE last_seq > 0`);
  }

  async latestCheckpoint(db: Db = this.dataSource): Promise<{ headsHash: string; document: Record<string, unknown> } | null> {
    const [row] = await db.query(
      `SELECT heads_hash AS "headsHash", document FROM registry_checkpoints ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    return row ?? null;
  }

  /** Serialises checkpoint signing across workers until the transaction ends. */
  async lockCheckpointing(db: Db): Promise<void> {
    await advisoryXactLock(db, ADVISORY_LOCKS.registryCheckpoint);
  }

  async insertCheckpoint(checkpoint: { id: string; createdAt: string; headsHash: string; document: object }, db: Db): Promise<void> {
    await db.query(`INSERT INTO registry_checkpoints (id, created_at, heads_hash, document) VALUES ($1, $2, $3, $4)`, [
      checkpoint.id,
      checkpoint.createdAt,
      checkpoint.headsHash,
      JSON.stringify(checkpoint.document),
    ]);
  }
}
