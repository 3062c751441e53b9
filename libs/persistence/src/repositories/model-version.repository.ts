import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BaseModelRelation } from '@app/policy';
import type { Db } from '../sql.util.js';

export type BaseModelRef = ({ modelVersionId: string } | { external: { name: string; origin: string; sha256?: string } }) & {
  relation?: BaseModelRelation;
};

export interface ModelVersionRow {
  id: string;
  developerOrganisationId: string;
  name: string;
  version: string;
  checkpointSha256: string | null;
  baseModels: BaseModelRef[];
}

/** A model version's columns as ModelVersionRow names them (also read by CaseRepository.creation). */
export const MODEL_VERSION_COLUMNS = `id, developer_organisation_id AS "developerOrganisationId", name, version,
  checkpoint_sha256 AS "checkpointSha256", base_models AS "baseModels"`;

/** The model version $1 and every one naming one of these as a base model (GIN index model_versions_base_models_idx answers the containment). */
const DOWN_SQL = `down(id) AS (
  SELECT $1::uuid
  UNION
  SELECT m.id FROM down d JOIN model_versions m ON m.base_models @> jsonb_build_array(jsonb_build_object('modelVersionId', d.id::text)))`;

export interface LineageRow {
  modelVersionId: string;
  name: string;
  version: string;
  developerOrganisationId: string;
  baseModels: BaseModelRef[];
  caseId: string | null;
  caseState: string | null;
  releasedAt: Date | null;
  recordId: string | null;
  recordState: string | null;
}

/** The model version $1 (also read by CaseViewRepository). */
export const MODEL_VERSION_BY_ID_SQL = `SELECT ${MODEL_VERSION_COLUMNS} FROM model_versions WHERE id = $1`;

@Injectable()
export class ModelVersionRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async findById(id: string, db: Db = this.dataSource): Promise<ModelVersionRow | null> {
    const [row] = await db.query(MODEL_VERSION_BY_ID_SQL, [id]);
    return row ?? null;
  }

  async update(
    id: string,
    patch: { checkpointSha256?: string | null; baseModels?: BaseModelRef[] },
    db: Db = this.dataSource,
  ): Promise<void> {
    await db.query(
      `UPDATE model_versions
          SET checkpoint_sha256 = CASE WHEN $2 THEN $3 ELSE checkpoint_sha256 END,
              base_models = CASE WHEN $4 THEN $5::jsonb ELSE base_models END
        WHERE id = $1`,
      [id, patch.checkpointSha256 !== undefined, patch.checkpointSha256 ?? null, patch.baseModels !== undefined, JSON.stringify(patch.baseModels ?? [])],
    );
  }

  /** Model versions of any organisation with one of these checkpoints or names: what an imported lineage may link to. */
  async withChecksumOrName(
    sha256s: readonly string[],
    names: readonly string[],
    db: Db = this.dataSource,
  ): Promise<Array<{ id: string; name: string; version: string; checkpointSha256: string | null }>> {
    if (sha256s.length === 0 && names.length === 0) return [];
    return db.query(
      `SELECT id, name, version, checkpoint_sha256 AS "checkpointSha256" FROM model_versions
        WHERE checkpoint_sha256 = ANY($1::text[]) OR name = ANY($2::text[])`,
      [sha256s, names],
    );
  }

  /** All ancestors (transitively, own model versions only) with the state of their latest case. */
  async ancestorsWithState(
    id: string,
    db: Db = this.dataSource,
  ): Promise<Array<{ modelVersionId: string; name: string; version: string; state: string }>> {
    return db.query(
      `WITH RECURSIVE ancestry(id, depth) AS (
         SELECT (b->>'modelVersionId')::uuid, 1 FROM model_versions m, jsonb_array_elements(m.base_models) b
          WHERE m.id = $1 AND b ? 'modelVersionId'
         UNION
         SELECT (b->>'modelVersionId')::uuid, a.depth + 1 FROM ancestry a
           JOIN model_versions m ON m.id = a.id, jsonb_array_elements(m.base_models) b
          WHERE b ? 'modelVersionId' AND a.depth < 32)
       SELECT DISTINCT m.id AS "modelVersionId", m.name, m.version,
              COALESCE((SELECT c.state FROM cases c WHERE c.model_version_id = m.id ORDER BY c.created_at DESC LIMIT 1), 'none') AS state
         FROM ancestry a JOIN model_versions m ON m.id = a.id`,
      [id],
    );
  }

  /**
   * Every model version descending from this one at any depth, itself left out. UNION keeps each
   * id once, so the walk ends even when lineage forms a cycle.
   */
  async descendantsAtAnyDepth(id: string, db: Db = this.dataSource): Promise<string[]> {
    const rows: Array<{ id: string }> = await db.query(`WITH RECURSIVE ${DOWN_SQL} SELECT id FROM down WHERE id <> $1`, [id]);
    return rows.map((r) => r.id);
  }

  /**
   * The model version, its ancestors and its descendants, each with its latest case and its newest
   * registry record (null when none), each once: at most `limit` model versions each way, nearest
   * generations first (a recursive CTE is walked breadth-first, and the LIMIT stops the walk), with
   * `truncated` when a walk had more. The walks' ids are read as arrays, not joined: the planner
   * cannot estimate the `@>` step and, joining, expected every model version and read all of them
   * (125–240 ms at 200,000, on a public route).
   */
  async lineage(id: string, limit: number, db: Db = this.dataSource): Promise<{ rows: LineageRow[]; truncated: boolean }> {
    const rows: Array<LineageRow & { truncated: boolean }> = await db.query(
      `WITH RECURSIVE ${DOWN_SQL},
         up(id) AS (
           SELECT $1::uuid
           UNION
           SELECT (b->>'modelVersionId')::uuid FROM up u JOIN model_versions m ON m.id = u.id, jsonb_array_elements(m.base_models) b
            WHERE b ? 'modelVersionId'),
         -- One more than kept each way (the root counts in both walks): whether there was more.
         walked AS MATERIALIZED (SELECT ARRAY(SELECT id FROM down LIMIT $2::int + 2) AS down_ids, ARRAY(SELECT id FROM up LIMIT $2::int + 2) AS up_ids)
       SELECT m.id AS "modelVersionId", m.name, m.version, m.developer_organisation_id AS "developerOrganisationId", m.base_models AS "baseModels",
              c.id AS "caseId", c.state AS "caseState", c.released_at AS "releasedAt",
              r.id AS "recordId", r.document->>'state' AS "recordState",
              (SELECT cardinality(down_ids) > $2::int + 1 OR cardinality(up_ids) > $2::int + 1 FROM walked) AS truncated
         FROM model_versions m
         LEFT JOIN LATERAL (SELECT id, state, released_at FROM cases WHERE model_version_id = m.id ORDER BY created_at DESC, id DESC LIMIT 1) c ON true
         LEFT JOIN LATERAL (SELECT rr.id, rr.document FROM registry_records rr JOIN cases rc ON rc.id = rr.case_id
                             WHERE rc.model_version_id = m.id ORDER BY rr.published_at DESC, rr.id DESC LIMIT 1) r ON true
        WHERE m.id = ANY((SELECT down_ids[1:$2::int + 1] FROM walked)::uuid[]) OR m.id = ANY((SELECT up_ids[1:$2::int + 1] FROM walked)::uuid[])`,
      [id, limit],
    );
    return { rows: rows.map(({ truncated: _, ...row }) => row), truncated: rows[0]?.truncated ?? false };
  }

  /** The model version a registry record was published for. */
  async idOfRecord(recordId: string, db: Db = this.dataSource): Promise<string | null> {
    const [row] = await db.query(`SELECT c.model_version_id AS id FROM registry_records r JOIN cases c ON c.id = r.case_id WHERE r.id = $1`, [recordId]);
    return row?.id ?? null;
  }
}
