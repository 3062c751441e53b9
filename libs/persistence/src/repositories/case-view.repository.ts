import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Db } from '../sql.util.js';
import { ASSIGNMENTS_OF_CASE_SQL, type AssignmentRow } from './assignment.repository.js';
import { OPEN_DEADLINES_OF_CASE_SQL, type DeadlineRow } from './deadline.repository.js';
import { FINDINGS_OF_CASE_SQL, type FindingRow } from './finding.repository.js';
import { MODEL_VERSION_BY_ID_SQL, type ModelVersionRow } from './model-version.repository.js';
import { LIVE_OPINIONS_OF_CASE_SQL, type OpinionRow } from './opinion.repository.js';

export interface CaseRelations {
  model: ModelVersionRow | null;
  assignments: AssignmentRow[];
  findings: FindingRow[];
  opinions: OpinionRow[];
  deadlines: DeadlineRow[];
}

/** Columns that JSON carries as strings but the repositories return as Dates. */
const DATE_KEYS = ['assignedAt', 'unassignedAt', 'createdAt', 'issuedAt', 'dueAt', 'pausedAt', 'escalatedAt', 'closedAt'];

const reviveDates = <T>(row: T): T => {
  const record = row as Record<string, unknown>;
  for (const key of DATE_KEYS) if (typeof record[key] === 'string') record[key] = new Date(record[key] as string);
  return row;
};

const asList = (sql: string) => `(SELECT coalesce(json_agg(t), '[]'::json) FROM (${sql}) t)`;

/**
 * What the case view shows beside the case row, in one round trip: the same queries as
 * ModelVersionRepository.findById, AssignmentRepository.list, FindingRepository.list,
 * OpinionRepository.list and DeadlineRepository.listOpen (their SQL is shared), each
 * aggregated to JSON in its own order.
 */
const RELATIONS_SQL = `SELECT
  (SELECT row_to_json(t) FROM (${MODEL_VERSION_BY_ID_SQL.replace('$1', '$2')}) t) AS model,
  ${asList(ASSIGNMENTS_OF_CASE_SQL)} AS assignments,
  ${asList(FINDINGS_OF_CASE_SQL)} AS findings,
  ${asList(LIVE_OPINIONS_OF_CASE_SQL)} AS opinions,
  ${asList(OPEN_DEADLINES_OF_CASE_SQL)} AS deadlines`;

/** The relations as JSON carries them (dates as strings), with their dates revived. */
export const relationsFromJson = (row: CaseRelations): CaseRelations => ({
  model: row.model,
  assignments: row.assignments.map(reviveDates),
  findings: row.findings.map(reviveDates),
  opinions: row.opinions.map(reviveDates),
  deadlines: row.deadlines.map(reviveDates),
});

@Injectable()
export class CaseViewRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async relations(caseId: string, modelVersionId: string, db: Db = this.dataSource): Promise<CaseRelations> {
    const [row] = (await db.query(RELATIONS_SQL, [caseId, modelVersionId])) as CaseRelations[];
    return relationsFromJson(row!);
  }
}
