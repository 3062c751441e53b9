import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HistoryItem } from '@app/integrity';
import { qualifyColumns, type Db } from '../sql.util.js';
import { ASSIGNMENT_VIEW_COLUMNS } from './assignment.repository.js';
import { CASE_COLUMNS, caseChangedColumns, caseSetClause, type CaseChanges, type CaseRow } from './case.repository.js';
import { relationsFromJson, type CaseRelations } from './case-view.repository.js';
import { DEADLINE_VIEW_COLUMNS } from './deadline.repository.js';
import type { EvidenceMeta } from './evidence.repository.js';
import { FINDING_VIEW_COLUMNS, type FindingRow } from './finding.repository.js';
import { MODEL_VERSION_BY_ID_SQL, type ModelVersionRow } from './model-version.repository.js';
import { LIVE_OPINIONS_OF_CASE_SQL, OPINION_VIEW_COLUMNS, type OpinionRow } from './opinion.repository.js';
import type { OutboxEntry } from './outbox.repository.js';
import type { UserRow } from './user.repository.js';

/** Numbers a statement's parameters as fragments are added. */
export class SqlParams {
  readonly values: unknown[];

  constructor(initial: unknown[] = []) {
    this.values = [...initial];
  }

  /** The placeholder of `value`, with a cast when given (`$7::uuid`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** In a StepWrite's CTE body, the name of the CTE before it (its own earlier part). */
export const PREVIOUS_CTE = '<previous-cte>';

/** The case view's lists a step's CTE may change; its body then RETURNs that list's view columns. */
export type StepViewTable = 'assignments' | 'findings' | 'opinions' | 'opinionVoids' | 'deadlines';

/** A CTE body, or one whose RETURNING rows are rows of a case view list as the step leaves them. */
export type StepCte = string | { view: StepViewTable; body: string };

const bodyOf = (cte: StepCte): string => (typeof cte === 'string' ? cte : cte.body);

/** `WITH` entries named w0, w1…, each body's PREVIOUS_CTE naming the entry before it. */
const namedCtes = (ctes: StepCte[]): string =>
  ctes.map((cte, i) => `w${i} AS (${bodyOf(cte).replaceAll(PREVIOUS_CTE, `w${i - 1}`)})`).join(',\n       ');

/**
 * A view list after the step, in the same statement: the rows `base` read (the statement's
 * snapshot) that no CTE changed, then the rows the CTEs returned, as JSON in the view's order.
 * `removed` CTEs return ids that leave the list; `keep` filters changed rows (open deadlines).
 */
const overlay = (base: string, order: string, changed: string[], removed: string[] = [], keep = 'true'): string => {
  const gone = [...changed, ...removed].map((name) => `SELECT id FROM ${name}`).join(' UNION ALL ');
  const rows = [
    gone ? `SELECT * FROM (${base}) b WHERE b.id NOT IN (${gone})` : base,
    ...changed.map((name) => `SELECT * FROM ${name} WHERE ${keep}`),
  ].join(' UNION ALL ');
  // An ARRAY sublink, not json_agg: no aggregate (and its per-call sort) to set up at each run.
  return `array_to_json(ARRAY(SELECT row_to_json(t) FROM (${rows}) t ORDER BY ${order}))`;
};

/** The case view's lists as CaseViewRepository.relations reads them, after a step's CTEs. */
const viewAfter = (ctes: StepCte[]): string => {
  const named = (table: StepViewTable) => ctes.flatMap((cte, i) => (typeof cte !== 'string' && cte.view === table ? [`w${i}`] : []));
  return [
    `${overlay(`SELECT ${qualifyColumns(ASSIGNMENT_VIEW_COLUMNS, 'a')} FROM assignments a WHERE a.case_id = $1`, 't."assignedAt", t.id', named('assignments'))} AS assignments`,
    `${overlay(`SELECT ${qualifyColumns(FINDING_VIEW_COLUMNS, 'f')} FROM findings f WHERE f.case_id = $1`, 't."createdAt", t.id', named('findings'))} AS findings`,
    `${overlay(
      `SELECT ${qualifyColumns(OPINION_VIEW_COLUMNS, 'o')} FROM opinions o
        WHERE o.case_id = $1 AND NOT EXISTS (SELECT 1 FROM opinion_voids v WHERE v.opinion_id = o.id)`,
      't."issuedAt", t.id',
      named('opinions'),
      named('opinionVoids'),
    )} AS opinions`,
    `${overlay(
      `SELECT ${qualifyColumns(DEADLINE_VIEW_COLUMNS, 'd')} FROM deadlines d WHERE d.case_id = $1 AND d.closed_at IS NULL`,
      't."dueAt", t.id',
      named('deadlines'),
      [],
      '"closedAt" IS NULL',
    )} AS deadlines`,
  ].join(',\n         ');
};

/**
 * One of a step's writes beside the case row, as the bodies of CTEs that draw from `updated`
 * (the case row as the version-checked UPDATE returned it, or nothing when the version moved on),
 * so a lost race writes nothing.
 */
export interface StepWrite {
  /**
   * The rows this write UPDATEs, if any, as `table:set`: one statement may not update a row twice,
   * so two writes naming the same set, or one naming `table:*` (rows it cannot name in advance)
   * and another of that table, run as separate statements (inside a transaction).
   */
  updates?: string;
  ctes: (p: SqlParams) => StepCte[];
}

/** What a step reads beside the case row, in the same statement. */
export interface StepReadNeeds {
  /** Whether this user is or was assigned to the case (the auditor read rule). */
  wasAssigned?: string;
  /** A user by id (the auditor an assignment names). */
  user?: string;
  /** Of these auditors, those an active conflict with the case's developer covers. */
  conflictedOf?: string[];
  /** Also check the auditors assigned in the case's context. */
  conflictedAssigned?: boolean;
  /** A finding of the case by id. */
  finding?: string;
  /** Major or critical findings not yet resolved. */
  blockingFindings?: boolean;
  liveOpinions?: boolean;
  /** A state deadline of the case by id, if it is open, unpaused, not escalated and due. */
  firableDeadline?: string;
  /** Evidence of the case the working assessment names. */
  assessmentEvidence?: boolean;
  /** The latest published version of the case's policy pack. */
  latestPackVersion?: boolean;
}

export interface StepReads {
  wasAssigned: boolean;
  model: ModelVersionRow | null;
  user: UserRow | null;
  conflicted: string[];
  finding: Pick<FindingRow, 'id' | 'raisedBy' | 'status'> | null;
  blockingFindings: number;
  liveOpinions: Array<Pick<OpinionRow, 'revisionHash' | 'conditions'>>;
  firableDeadline: { id: string; kind: string } | null;
  assessmentEvidence: Array<Pick<EvidenceMeta, 'id' | 'sha256'>>;
  latestPackVersion: string | null;
}

/** A step's written case and, when asked, the case view's lists as the step left them. */
export interface StepWritten {
  row: CaseRow;
  relations: CaseRelations | null;
}

/** The case as one step read it, with the Postgres clock of that read (ms). */
export interface StepRead {
  row: CaseRow;
  now: string;
  reads: StepReads;
}

const CONFLICTED = (auditors: string) => `(SELECT coalesce(array_agg(u.id::text), '{}') FROM users u
  WHERE u.id = ANY(${auditors}) AND EXISTS (
    SELECT 1 FROM conflicts k
     WHERE k.developer_organisation_id = c.developer_organisation_id AND k.audit_firm_id = u.organisation_id
       AND (k.scope = 'firm' OR k.auditor_id = u.id)
       AND (k.since IS NULL OR k.since <= now()) AND (k.until IS NULL OR k.until > now())))`;

/**
 * A case step in two statements: `read` (the row, the clock, what the guards and the reader rule
 * need) and `write` (the version-checked update with every row the step writes). Without a
 * transaction the write is optimistic: null when another write got there first.
 */
@Injectable()
export class CaseStepRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** `lock` takes the row lock (inside a transaction); null when there is no such case. */
  async read(id: string, needs: StepReadNeeds, lock: boolean, db: Db = this.dataSource): Promise<StepRead | null> {
    const read = await this.readOnce(id, needs, lock, db);
    // A locking read that waited for another writer re-reads the case row as that writer left it, but
    // its other subqueries answer from the snapshot taken before the wait: read again, holding the lock.
    if (read?.stale) return this.readOnce(id, needs, lock, db);
    return read;
  }

  private async readOnce(id: string, needs: StepReadNeeds, lock: boolean, db: Db): Promise<(StepRead & { stale: boolean }) | null> {
    const p = new SqlParams([id]);
    // Ids are validated UUIDs (payload schemas, tokens): typed, so the primary keys' indexes answer.
    const uuid = (value: string | undefined) => p.add(value ?? null, 'uuid');
    const fields = [
      `${CASE_COLUMNS}`,
      `date_trunc('milliseconds', now()) AS "dbNow"`,
      `(SELECT row_to_json(t) FROM (${MODEL_VERSION_BY_ID_SQL.replace('$1', 'c.model_version_id')}) t) AS model`,
      // The version as the statement's snapshot has it (differs from c.version when the lock waited).
      ...(lock ? [`(SELECT s.version FROM cases s WHERE s.id = $1) AS "snapshotVersion"`] : []),
    ];
    if (needs.wasAssigned)
      fields.push(`EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = c.id AND a.auditor_id = ${uuid(needs.wasAssigned)}) AS "wasAssigned"`);
    if (needs.user)
      fields.push(`(SELECT row_to_json(t) FROM (SELECT u.id, u.email, u.display_name AS "displayName", u.organisation_id AS "organisationId", u.role
          FROM users u WHERE u.id = ${uuid(needs.user)}) t) AS "user"`);
    const auditors = [
      ...(needs.conflictedOf?.length ? [p.add(needs.conflictedOf, 'uuid[]')] : []),
      ...(needs.conflictedAssigned ? [`ARRAY(SELECT (a->>'auditorId')::uuid FROM jsonb_array_elements(c.context->'assignments') a)`] : []),
    ];
    if (auditors.length > 0) fields.push(`${CONFLICTED(auditors.join(' || '))} AS conflicted`);
    if (needs.finding)
      fields.push(`(SELECT row_to_json(t) FROM (SELECT f.id, f.raised_by AS "raisedBy", f.status FROM findings f
          WHERE f.case_id = c.id AND f.id = ${uuid(needs.finding)}) t) AS finding`);
    if (needs.blockingFindings)
      fields.push(`(SELECT count(*)::int FROM findings f WHERE f.case_id = c.id AND f.severity IN ('major', 'critical') AND f.status <> 'resolved') AS "blockingFindings"`);
    if (needs.liveOpinions)
      fields.push(`(SELECT coalesce(json_agg(t), '[]'::json) FROM (${LIVE_OPINIONS_OF_CASE_SQL.replace('$1', 'c.id')}) t) AS "liveOpinions"`);
    if (needs.firableDeadline)
      fields.push(`(SELECT row_to_json(t) FROM (SELECT d.id, d.kind FROM deadlines d
          WHERE d.case_id = c.id AND d.id = ${uuid(needs.firableDeadline)} AND d.incident_id IS NULL
            AND d.closed_at IS NULL AND d.paused_at IS NULL AND d.escalated_at IS NULL AND d.due_at <= now()) t) AS "firableDeadline"`);
    if (needs.assessmentEvidence)
      fields.push(`(SELECT coalesce(json_agg(t), '[]'::json) FROM (SELECT e.id, e.sha256 FROM evidence e
          WHERE e.case_id = c.id AND e.id::text IN (
            SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(v->'evidenceIds') = 'array' THEN v->'evidenceIds' ELSE '[]' END)
              FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.assessment->'evaluations') = 'array' THEN c.assessment->'evaluations' ELSE '[]' END) v)
          ORDER BY e.id) t) AS "assessmentEvidence"`);
    if (needs.latestPackVersion)
      fields.push(`(SELECT pp.version FROM policy_packs pp WHERE pp.id = c.policy_pack_id ORDER BY pp.version_key DESC LIMIT 1) AS "latestPackVersion"`);
    const [found] = await db.query(
      `SELECT ${fields.join(',\n  ')} FROM cases c WHERE c.id = $1${lock ? ' FOR NO KEY UPDATE OF c' : ''}`,
      p.values,
    );
    if (!found) return null;
    const { dbNow, snapshotVersion, model, wasAssigned, user, conflicted, finding, blockingFindings, liveOpinions, firableDeadline, assessmentEvidence, latestPackVersion, ...row } =
      found as CaseRow & Record<string, unknown> & { dbNow: Date };
    return {
      stale: lock && snapshotVersion !== row.version,
      row: row as CaseRow,
      now: dbNow.toISOString(),
      reads: {
        wasAssigned: wasAssigned === true,
        model: (model as ModelVersionRow | null) ?? null,
        user: (user as UserRow | null) ?? null,
        conflicted: (conflicted as string[] | undefined) ?? [],
        finding: (finding as StepReads['finding']) ?? null,
        blockingFindings: (blockingFindings as number | undefined) ?? 0,
        liveOpinions: (liveOpinions as StepReads['liveOpinions'] | undefined) ?? [],
        firableDeadline: (firableDeadline as StepReads['firableDeadline']) ?? null,
        assessmentEvidence: (assessmentEvidence as StepReads['assessmentEvidence'] | undefined) ?? [],
        latestPackVersion: (latestPackVersion as string | null | undefined) ?? null,
      },
    };
  }

  /** Whether `writes` fit one statement (no table updated twice); if not, `write` needs a transaction. */
  static fitsOneStatement(writes: StepWrite[]): boolean {
    const updated = writes.flatMap((w) => (w.updates ? [w.updates] : []));
    if (new Set(updated).size !== updated.length) return false;
    const tables = updated.map((set) => set.slice(0, set.indexOf(':')));
    return updated.every((set, i) => !set.endsWith(':*') || tables.filter((t) => t === tables[i]).length === 1);
  }

  /**
   * The step's writes: the case UPDATE checked against the version of `base` (the row as the step
   * read it), its history row, its outbox rows and `writes`, all drawing from the updated row:
   * null, with nothing written, when the version moved on (`item` null: a draft edit, which writes
   * no history). The updated row is `base` with what the UPDATE changed (caseChangedColumns). With `view`, also the case view's lists after the step (CaseViewRepository's,
   * computed from the statement's snapshot and the rows its writes returned), saving a read. Writes that do not fit one statement (`fitsOneStatement`) are split into
   * statements run in order, the case update with the last: only inside a transaction that holds the row lock.
   */
  async write(
    base: CaseRow,
    changes: CaseChanges,
    item: HistoryItem | null,
    outbox: OutboxEntry[],
    writes: StepWrite[],
    db: Db,
    view?: { model: ModelVersionRow | null },
  ): Promise<StepWritten | null> {
    // Consecutive runs of writes that fit one statement, in the step's order: a later write may
    // depend on an earlier one (a deadline closed by kind before one of that kind is opened).
    const rounds: StepWrite[][] = [[]];
    for (const w of writes) {
      if (!CaseStepRepository.fitsOneStatement([...rounds.at(-1)!, w])) rounds.push([]);
      rounds.at(-1)!.push(w);
    }
    const { id, version: expectedVersion } = base;
    const last = rounds.pop()!;
    for (const round of rounds) {
      const p = new SqlParams([id]);
      const ctes = round.flatMap((w) => w.ctes(p));
      await db.query(`WITH updated AS (SELECT $1::uuid AS id), ${namedCtes(ctes)} SELECT 1`, p.values);
    }
    const { sets, values } = caseSetClause(changes);
    const p = new SqlParams([id, expectedVersion, ...values]);
    const ctes = [
      ...(item
        ? [
            `INSERT INTO case_events (case_id, seq, type, actor, from_state, to_state, at, payload, prev_hash, hash)
       SELECT updated.id, ${p.add(item.seq, 'int')}, ${p.add(item.type, 'text')}, ${p.add(JSON.stringify(item.actor), 'jsonb')},
              ${p.add(item.fromState, 'text')}, ${p.add(item.toState, 'text')}, ${p.add(item.at, 'timestamptz')},
              ${p.add(JSON.stringify(item.payload), 'jsonb')}, ${p.add(item.prevHash, 'text')}, ${p.add(item.hash, 'text')} FROM updated`,
          ]
        : []),
      ...(outbox.length > 0
        ? [
            `INSERT INTO outbox (case_id, kind, payload)
             SELECT q.* FROM updated, unnest(${p.add(outbox.map((e) => e.caseId), 'uuid[]')}, ${p.add(outbox.map((e) => e.kind), 'text[]')},
               ${p.add(outbox.map((e) => JSON.stringify(e.payload)), 'jsonb[]')}) AS q`,
          ]
        : []),
      ...last.flatMap((w) => w.ctes(p)),
    ];
    const [found] = (await db.query(
      `WITH updated AS (UPDATE cases AS c SET ${sets} WHERE c.id = $1 AND c.version = $2 RETURNING c.id, ${caseChangedColumns(changes)})${ctes.length > 0 ? ',' : ''}
       ${namedCtes(ctes)}
       SELECT updated.*${view ? `,\n         ${viewAfter(ctes)}` : ''} FROM updated`,
      p.values,
    )) as Array<Partial<CaseRow> & Partial<Omit<CaseRelations, 'model'>>>;
    if (!found) return null;
    const { assignments, findings, opinions, deadlines, ...changed } = found;
    return {
      row: { ...base, ...changed },
      relations: view ? relationsFromJson({ model: view.model, assignments: assignments!, findings: findings!, opinions: opinions!, deadlines: deadlines! }) : null,
    };
  }
}
