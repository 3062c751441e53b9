import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CaseContext, CaseState } from '@app/workflow';
import type { PolicyPack } from '@app/policy';
import { affected, type Db } from '../sql.util.js';
import { MODEL_VERSION_COLUMNS, type BaseModelRef, type ModelVersionRow } from './model-version.repository.js';

export interface CaseRow {
  id: string;
  modelVersionId: string;
  developerOrganisationId: string;
  state: CaseState;
  workflowVersion: string;
  policyPackId: string;
  policyPackVersion: string;
  context: CaseContext;
  version: number;
  revision: number;
  revisionHash: string | null;
  tier: string | null;
  assessment: Record<string, unknown>;
  releasedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  stateEnteredAt: Date;
  headHash: string;
  lastSeq: number;
}

export const CASE_COLUMNS = `c.id, c.model_version_id AS "modelVersionId", c.developer_organisation_id AS "developerOrganisationId",
  c.state, c.workflow_version AS "workflowVersion", c.policy_pack_id AS "policyPackId",
  c.policy_pack_version AS "policyPackVersion", c.context, c.version, c.revision, c.revision_hash AS "revisionHash",
  c.tier, c.assessment, c.released_at AS "releasedAt", c.created_by AS "createdBy", c.created_at AS "createdAt",
  c.state_entered_at AS "stateEnteredAt", c.head_hash AS "headHash", c.last_seq AS "lastSeq"`;

/** A row locked by `lockWithNow`, with the transaction's Postgres clock. */
export interface LockedCase {
  row: CaseRow;
  now: string;
}

export interface NewCase {
  modelVersionId: string;
  developerOrganisationId: string;
  state: CaseState;
  isFinal: boolean;
  workflowVersion: string;
  policyPackId: string;
  policyPackVersion: string;
  context: CaseContext;
  createdBy: string;
  headHash: string;
}

/** What a case creation's checks need, read in one statement (CaseRepository.creationRead). */
export interface CreationRead {
  /** The pack version the creation pins: the one named, else the latest of the pack; null when none is published. */
  pack: PolicyPack | null;
  /** The organisation's model version with this name and version, if recorded. */
  model: ModelVersionRow | null;
  /** Whether that model version has a case that is not final. */
  liveCase: boolean;
  /** Of the base model ids given, those that name a model version. */
  knownBaseModels: string[];
}

/** The model version a creation records (inserted, or updated as ModelVersionRepository.upsert does). */
export interface NewModelVersion {
  developerOrganisationId: string;
  name: string;
  version: string;
  checkpointSha256?: string;
  baseModels?: BaseModelRef[];
}

/** Columns a write may change; the version check is done by `update`. */
export interface CaseChanges {
  state?: CaseState;
  isFinal?: boolean;
  context?: CaseContext;
  revision?: number;
  revisionHash?: string | null;
  tier?: string | null;
  assessment?: Record<string, unknown>;
  releasedAt?: string;
  stateEnteredAt?: string;
  headHash?: string;
  lastSeq?: number;
  policyPackVersion?: string;
}

const COLUMN_OF: Record<keyof CaseChanges, string> = {
  state: 'state',
  isFinal: 'is_final',
  context: 'context',
  revision: 'revision',
  revisionHash: 'revision_hash',
  tier: 'tier',
  assessment: 'assessment',
  releasedAt: 'released_at',
  stateEnteredAt: 'state_entered_at',
  headHash: 'head_hash',
  lastSeq: 'last_seq',
  policyPackVersion: 'policy_pack_version',
};

/**
 * What an update changes of a CaseRow, as RETURNING columns: `version`, and the columns of
 * `changes` that a CaseRow holds (is_final is not one). With the row the update was checked
 * against (same version, so no other write came between), they make the updated CaseRow; the
 * columns left alone, above all the stored documents, are neither read back nor sent again.
 */
export const caseChangedColumns = (changes: CaseChanges): string =>
  [
    'c.version',
    ...(Object.entries(changes) as Array<[keyof CaseChanges, unknown]>)
      .filter(([key, value]) => value !== undefined && key !== 'isFinal')
      .map(([key]) => (COLUMN_OF[key] === key ? `c.${key}` : `c.${COLUMN_OF[key]} AS "${key}"`)),
  ].join(', ');

/** The SET list of an update (parameters from $3) and its values; `version` always moves on. */
export const caseSetClause = (changes: CaseChanges): { sets: string; values: unknown[] } => {
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined) as Array<[keyof CaseChanges, unknown]>;
  return {
    sets: [...entries.map(([key], i) => `${COLUMN_OF[key]} = $${i + 3}`), 'version = version + 1'].join(', '),
    values: entries.map(([key, value]) => (key === 'context' || key === 'assessment' ? JSON.stringify(value) : value)),
  };
};

/** TypeORM's postgres driver answers an UPDATE with [rows, count]. */
const updatedRows = (result: unknown): CaseRow[] =>
  (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : []) as CaseRow[];

@Injectable()
export class CaseRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** A creation's checks in one statement: the pack version, the model version, its live case and the base models named. */
  async creationRead(
    pack: { id: string; version: string | null },
    model: { developerOrganisationId: string; name: string; version: string },
    baseModelIds: string[],
    db: Db = this.dataSource,
  ): Promise<CreationRead> {
    // `coalesce`, not `$2 IS NULL OR …`: a text NamedStatementClient names (it keeps such optional
    // filters unnamed, re-planned at every run), and a pack's few versions need no custom plan.
    const [row] = await db.query(
      `SELECT
         (SELECT pp.document FROM policy_packs pp WHERE pp.id = $1 AND pp.version = coalesce($2::text, pp.version)
           ORDER BY pp.version_key DESC LIMIT 1) AS pack,
         (SELECT row_to_json(t) FROM (SELECT ${MODEL_VERSION_COLUMNS} FROM model_versions
           WHERE developer_organisation_id = $3 AND name = $4 AND version = $5) t) AS model,
         EXISTS (SELECT 1 FROM model_versions m JOIN cases c ON c.model_version_id = m.id
                  WHERE m.developer_organisation_id = $3 AND m.name = $4 AND m.version = $5 AND NOT c.is_final) AS "liveCase",
         ARRAY(SELECT id::text FROM model_versions WHERE id = ANY($6::uuid[])) AS "knownBaseModels"`,
      [pack.id, pack.version, model.developerOrganisationId, model.name, model.version, baseModelIds],
    );
    return row as CreationRead;
  }

  /**
   * The model version upsert and the case insert in one statement, so they commit or fail together.
   * When the model version already has a case that is not final, the partial unique index
   * cases_one_open_per_model refuses the insert (23505, waiting for a concurrent creation to settle
   * first) and the whole statement, upsert included, writes nothing.
   */
  async create(model: NewModelVersion, input: Omit<NewCase, 'modelVersionId'>, db: Db = this.dataSource): Promise<{ row: CaseRow; model: ModelVersionRow }> {
    const [found] = await db.query(
      `WITH model AS (
         INSERT INTO model_versions (developer_organisation_id, name, version, checkpoint_sha256, base_models)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (developer_organisation_id, name, version) DO UPDATE
           SET checkpoint_sha256 = COALESCE(model_versions.checkpoint_sha256, $4),
               base_models = CASE WHEN $6 THEN $5::jsonb ELSE model_versions.base_models END
         RETURNING ${MODEL_VERSION_COLUMNS}),
       inserted AS (
         INSERT INTO cases AS c (model_version_id, developer_organisation_id, state, is_final, workflow_version,
           policy_pack_id, policy_pack_version, context, created_by, head_hash)
         SELECT model.id, $7::uuid, $8::text, $9::boolean, $10::text, $11::text, $12::text, $13::jsonb, $14::uuid, $15::text FROM model
         RETURNING ${CASE_COLUMNS})
       SELECT inserted.*, row_to_json(model) AS model FROM inserted, model`,
      [
        model.developerOrganisationId,
        model.name,
        model.version,
        model.checkpointSha256 ?? null,
        JSON.stringify(model.baseModels ?? []),
        model.baseModels !== undefined,
        input.developerOrganisationId,
        input.state,
        input.isFinal,
        input.workflowVersion,
        input.policyPackId,
        input.policyPackVersion,
        JSON.stringify(input.context),
        input.createdBy,
        input.headHash,
      ],
    );
    const { model: written, ...row } = found as CaseRow & { model: ModelVersionRow };
    return { row: row as CaseRow, model: written };
  }

  async findById(id: string, db: Db = this.dataSource): Promise<CaseRow | null> {
    const [row] = await db.query(`SELECT ${CASE_COLUMNS} FROM cases c WHERE c.id = $1`, [id]);
    return row ?? null;
  }

  /** Locks the row for the rest of the transaction: writes to one case are serialised. */
  async lock(id: string, db: Db): Promise<CaseRow | null> {
    const [row] = await db.query(`SELECT ${CASE_COLUMNS} FROM cases c WHERE c.id = $1 FOR NO KEY UPDATE`, [id]);
    return row ?? null;
  }

  /**
   * `lock` and the Postgres clock (as `dbNow` gives it) in one round trip. `now()` is the
   * transaction's start time, so it equals what a later `dbNow` in the same transaction reads.
   */
  async lockWithNow(id: string, db: Db): Promise<LockedCase | null> {
    const [found] = await db.query(`SELECT ${CASE_COLUMNS}, date_trunc('milliseconds', now()) AS "dbNow" FROM cases c WHERE c.id = $1 FOR NO KEY UPDATE`, [id]);
    if (!found) return null;
    const { dbNow: now, ...row } = found as CaseRow & { dbNow: Date };
    return { row, now: now.toISOString() };
  }

  /** Applies the changes and bumps `version`, only if the row is still at `expectedVersion`. */
  async update(id: string, expectedVersion: number, changes: CaseChanges, db: Db): Promise<boolean> {
    const { sets, values } = caseSetClause(changes);
    const result = await db.query(`UPDATE cases SET ${sets} WHERE id = $1 AND version = $2`, [id, expectedVersion, ...values]);
    return affected(result) === 1;
  }

  /** As `update`, but returns the updated row (null when the version moved on), saving a re-read. */
  async updateReturning(id: string, expectedVersion: number, changes: CaseChanges, db: Db): Promise<CaseRow | null> {
    const { sets, values } = caseSetClause(changes);
    const result = await db.query(
      `UPDATE cases AS c SET ${sets} WHERE c.id = $1 AND c.version = $2 RETURNING ${CASE_COLUMNS}`,
      [id, expectedVersion, ...values],
    );
    return updatedRows(result)[0] ?? null;
  }

  /** Whether the user is or was assigned to the case. */
  async wasAssigned(caseId: string, auditorId: string, db: Db = this.dataSource): Promise<boolean> {
    const rows = await db.query(`SELECT 1 FROM assignments WHERE case_id = $1 AND auditor_id = $2 LIMIT 1`, [caseId, auditorId]);
    return rows.length > 0;
  }

  /** Cases in any of these states whose model version descends from one of these. */
  async casesOfModelVersions(modelVersionIds: string[], states: readonly CaseState[], db: Db = this.dataSource): Promise<string[]> {
    if (modelVersionIds.length === 0) return [];
    const rows: Array<{ id: string }> = await db.query(
      `SELECT id FROM cases WHERE model_version_id = ANY($1::uuid[]) AND state = ANY($2::text[])`,
      [modelVersionIds, states],
    );
    return rows.map((r) => r.id);
  }
}
