import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ADVISORY_LOCK_SPACES, advisoryXactLockIn, type Db } from '../sql.util.js';

export interface EvidenceMeta {
  id: string;
  caseId: string;
  sha256: string;
  size: number;
  mediaType: string;
  filename: string | null;
}

const COLUMNS = `id, case_id AS "caseId", sha256, size::int AS size, media_type AS "mediaType", filename`;

@Injectable()
export class EvidenceRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Stores the file unless the case's evidence would then pass `maxCaseBytes` or its developer
   * organisation's would pass `maxOrganisationBytes`; otherwise names the quota, and nothing is
   * stored. Race-safe only in a transaction with the case row locked (the upload use case locks
   * it): the next upload to the case waits on that lock, and one to another case of the
   * organisation waits on the organisation's advisory lock taken here, then counts this one.
   */
  async insertWithinQuota(
    input: { caseId: string; organisationId: string; sha256: string; mediaType: string; filename: string | null; content: Buffer; uploadedBy: string },
    quota: { maxCaseBytes: number; maxOrganisationBytes: number },
    db: Db,
  ): Promise<EvidenceMeta | { over: 'case' | 'organisation' }> {
    await advisoryXactLockIn(db, ADVISORY_LOCK_SPACES.evidence, input.organisationId);
    const [row] = await db.query(
      `WITH used AS (
         SELECT (SELECT COALESCE(sum(size), 0) FROM evidence WHERE case_id = $1::uuid) AS case_bytes,
                -- Case by case (LATERAL): a semi-join may hash the organisation's cases and read every evidence row.
                (SELECT COALESCE(sum(per_case.bytes), 0) FROM cases c
                   CROSS JOIN LATERAL (SELECT sum(size) AS bytes FROM evidence WHERE case_id = c.id) per_case
                  WHERE c.developer_organisation_id = $9::uuid) AS organisation_bytes
       ), stored AS (
         INSERT INTO evidence (case_id, sha256, size, media_type, filename, content, uploaded_by)
         SELECT $1::uuid, $2::text, $3::bigint, $4::text, $5::text, $6::bytea, $7::uuid FROM used
          WHERE case_bytes + $3::bigint <= $8::bigint AND organisation_bytes + $3::bigint <= $10::bigint
         RETURNING ${COLUMNS}
       )
       SELECT stored.*, used.case_bytes + $3::bigint > $8::bigint AS "overCase" FROM used LEFT JOIN stored ON true`,
      [
        input.caseId,
        input.sha256,
        input.content.length,
        input.mediaType,
        input.filename,
        input.content,
        input.uploadedBy,
        quota.maxCaseBytes,
        input.organisationId,
        quota.maxOrganisationBytes,
      ],
    );
    const { overCase, ...stored } = row as EvidenceMeta & { overCase: boolean };
    if (stored.id === null) return { over: overCase ? 'case' : 'organisation' };
    return stored;
  }

  async findMeta(caseId: string, ids: string[], db: Db = this.dataSource): Promise<EvidenceMeta[]> {
    if (ids.length === 0) return [];
    return db.query(`SELECT ${COLUMNS} FROM evidence WHERE case_id = $1 AND id = ANY($2::uuid[])`, [caseId, ids]);
  }

  async findContent(caseId: string, id: string, db: Db = this.dataSource): Promise<(EvidenceMeta & { content: Buffer }) | null> {
    const [row] = await db.query(`SELECT ${COLUMNS}, content FROM evidence WHERE case_id = $1 AND id = $2`, [caseId, id]);
    return row ?? null;
  }
}
