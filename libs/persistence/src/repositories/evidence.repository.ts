import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';

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
   * Stores the file unless the case's evidence would then pass `maxCaseBytes`; null when it would,
   * and nothing is stored. Race-safe only with the case row locked in the same transaction (the
   * upload use case locks it): the next upload then waits and counts this one.
   */
  async insertWithinQuota(
    input: { caseId: string; sha256: string; mediaType: string; filename: string | null; content: Buffer; uploadedBy: string },
    maxCaseBytes: number,
    db: Db = this.dataSource,
  ): Promise<EvidenceMeta | null> {
    const [row] = await db.query(
      `INSERT INTO evidence (case_id, sha256, size, media_type, filename, content, uploaded_by)
       SELECT $1::uuid, $2::text, $3::bigint, $4::text, $5::text, $6::bytea, $7::uuid
        WHERE (SELECT COALESCE(sum(size), 0) FROM evidence WHERE case_id = $1::uuid) + $3::bigint <= $8::bigint
       RETURNING ${COLUMNS}`,
      [input.caseId, input.sha256, input.content.length, input.mediaType, input.filename, input.content, input.uploadedBy, maxCaseBytes],
    );
    return row ?? null;
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
