import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CaseState } from '@app/workflow';
import type { Db } from '../sql.util.js';

/** Whose cases a list may show: SPEC.md's object-level read rules. */
export type ReaderScope =
  | { kind: 'all' }
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'auditor'; auditorId: string };

export interface CaseListFilter {
  scope: ReaderScope;
  states?: CaseState[];
  tier?: string;
  developerOrganisationId?: string;
  overdue?: boolean;
}

export type CaseListOrder = 'created' | 'deadline' | 'state_entered' | 'overdue';

export interface CaseListItemRow {
  id: string;
  state: CaseState;
  version: number;
  revision: number;
  tier: string | null;
  developerOrganisationId: string;
  createdAt: Date;
  stateEnteredAt: Date;
  nextDeadline: Date | null;
  overdueSince: Date | null;
  modelId: string;
  modelName: string;
  modelVersion: string;
  checkpointSha256: string | null;
  baseModels: unknown[];
}

/** A keyset position: the sort value and the id that breaks ties. */
export type Keyset = [string | null, string];

const ORDER: Record<CaseListOrder, { key: string; direction: 'ASC' | 'DESC' }> = {
  created: { key: `c.created_at`, direction: 'DESC' },
  // Cases without an open deadline sort last.
  deadline: { key: `COALESCE(d.next_deadline, 'infinity'::timestamptz)`, direction: 'ASC' },
  state_entered: { key: `c.state_entered_at`, direction: 'ASC' },
  overdue: { key: `COALESCE(d.overdue_since, 'infinity'::timestamptz)`, direction: 'ASC' },
};

/** An open deadline whose clock runs: what "next deadline" and "overdue" are made of. */
const RUNNING = (alias: string) => `${alias}.closed_at IS NULL AND ${alias}.paused_at IS NULL`;
const OVERDUE_CASE_IDS = `SELECT case_id FROM deadlines WHERE ${RUNNING('deadlines')} AND due_at <= now()`;

const JOINS = `JOIN model_versions m ON m.id = c.model_version_id
  LEFT JOIN LATERAL (
    SELECT min(due_at) FILTER (WHERE paused_at IS NULL) AS next_deadline,
           min(due_at) FILTER (WHERE paused_at IS NULL AND due_at <= now()) AS overdue_since
      FROM deadlines WHERE case_id = c.id AND closed_at IS NULL) d ON true`;

/**
 * A case id in a set read from another table (an auditor's assignments, the overdue deadlines),
 * as a hash table that a walk along a cases index tests each entry against: the set is read once
 * (a few thousand ids at a million cases) and the walk stops after a page. Two guards keep the
 * planner on that plan whatever its estimates: `IS TRUE` stops it from turning the IN into a
 * semi-join (which it drove by probing the other table once per walked case: the auditor's list
 * read 18,627 cases that way to find 51), and reading the set through `unnest(ARRAY(…))` makes
 * it estimate a small set, which it hashes. Estimated as read, the overdue set was 446,162 rows
 * for 16,292 (due_at and closed_at are estimated as independent, and old deadlines are closed):
 * too large to hash, so the subquery ran again for every walked case (259 s at a million cases).
 */
const IN_SET = (id: string, ids: string) => `(${id} IN (SELECT unnest(ARRAY(${ids})))) IS TRUE`;

/**
 * Lists ordered by deadline start from the running deadlines in due order (deadlines_running_due_created_idx)
 * instead of computing every case's next deadline and sorting a million rows: each case appears at its
 * earliest running deadline (`nd`, the one no other running deadline of the case precedes), so the walk
 * stops after a page. The due time equals `d.next_deadline`, and `d.overdue_since` when it has passed.
 */
const FROM_BY_DEADLINE = `FROM deadlines nd
  JOIN cases c ON c.id = nd.case_id
  ${JOINS}`;
const EARLIEST_RUNNING = `${RUNNING('nd')} AND NOT EXISTS (
    SELECT 1 FROM deadlines e WHERE e.case_id = nd.case_id AND ${RUNNING('e')} AND (e.due_at, e.id) < (nd.due_at, nd.id))`;

const SELECT = (sortKey: string) => `SELECT c.id, c.state, c.version, c.revision, c.tier, c.developer_organisation_id AS "developerOrganisationId",
        c.created_at AS "createdAt", c.state_entered_at AS "stateEnteredAt", d.next_deadline AS "nextDeadline",
        d.overdue_since AS "overdueSince", m.id AS "modelId", m.name AS "modelName", m.version AS "modelVersion",
        m.checkpoint_sha256 AS "checkpointSha256", m.base_models AS "baseModels", (${sortKey})::text AS "sortKey"`;

/** One statement's parameters: `add` returns the placeholder of the value it appends. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The filter as conditions on `c` (cases) and on the table that drives the walk: `c` itself, the
 * running deadlines `nd`, or an auditor's assignments `a` (whose auditor the walk already is).
 */
const conditions = (filter: CaseListFilter, walk: 'c' | 'nd' | 'a', p: Params): string[] => {
  const where: string[] = [];
  // A deadline carries its case's organisation (deadlines_org_running_due_idx), so a walk of deadlines meets only the organisation's.
  const organisation = (organisationId: string) => `${walk === 'nd' ? 'nd' : 'c'}.developer_organisation_id = ${p.add(organisationId)}`;
  if (filter.scope.kind === 'organisation') where.push(organisation(filter.scope.organisationId));
  if (filter.scope.kind === 'auditor' && walk !== 'a')
    where.push(IN_SET(`${walk}.${walk === 'c' ? 'id' : 'case_id'}`, `SELECT a.case_id FROM assignments a WHERE a.auditor_id = ${p.add(filter.scope.auditorId)}`));
  // One state as an equality, so the planner walks the state's index in order (an ANY array would sort).
  if (filter.states?.length === 1) where.push(`c.state = ${p.add(filter.states[0])}`);
  else if (filter.states) where.push(`c.state = ANY(${p.add(filter.states)}::text[])`);
  if (filter.tier) where.push(`c.tier = ${p.add(filter.tier)}`);
  if (filter.developerOrganisationId) where.push(organisation(filter.developerOrganisationId));
  return where;
};

/** Not overdue: a probe per walked case, which nearly every case passes. */
const NOT_OVERDUE = `NOT EXISTS (SELECT 1 FROM deadlines o WHERE o.case_id = c.id AND ${RUNNING('o')} AND o.due_at <= now())`;

/** `(key, id) < cursor` for a descending walk, `>` for an ascending one. */
const afterCursor = (key: string, id: string, direction: 'ASC' | 'DESC', after: Keyset, p: Params) =>
  `(${key}, ${id}) ${direction === 'ASC' ? '>' : '<'} (${p.add(after[0])}::timestamptz, ${p.add(after[1])}::uuid)`;

/** A page of case ids walked along a cases index in the order's direction. */
const casesPage = (filter: CaseListFilter, order: CaseListOrder, after: Keyset | null, limit: number, p: Params): string => {
  const where = conditions(filter, 'c', p);
  // Overdue (in an order other than creation): a hashed set of the few overdue cases.
  if (filter.overdue === true) where.push(IN_SET('c.id', OVERDUE_CASE_IDS));
  if (filter.overdue === false) where.push(NOT_OVERDUE);
  const { key, direction } = ORDER[order];
  if (after) where.push(afterCursor(key, 'c.id', direction, after, p));
  return `SELECT c.id FROM cases c
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY ${key} ${direction}, c.id ${direction}
     LIMIT ${p.add(limit)}`;
};

/**
 * The overdue cases newest first, from the deadlines, which carry their case's creation. A deadline
 * that came due is fired within seconds, so the overdue ones are nearly all among the fired running
 * deadlines, walked in their case's creation order (deadlines_fired_created_idx, `due_at` tested to
 * leave out one resumed after firing); the few due and not yet fired (deadlines_unfired_due_idx) are
 * sorted and merged in. Each case is probed for the other conditions until a page is full. An
 * organisation's overdue deadlines (deadlines_org_running_due_idx) and an auditor's are few and sorted whole. A walk
 * of the cases newest first met the overdue ones only among the old (~50,000 entries a page at a
 * million cases), and sorting all 16 k overdue deadlines took 6–10 ms a page.
 */
const overduePage = (filter: CaseListFilter, after: Keyset | null, limit: number, p: Params): string => {
  const organisationId = filter.scope.kind === 'organisation' ? filter.scope.organisationId : filter.developerOrganisationId;
  const overdue = [RUNNING('d'), `d.due_at <= now()`];
  if (organisationId) overdue.push(`d.developer_organisation_id = ${p.add(organisationId)}`);
  // An auditor's hashed set, tested on the deadline before the case is probed (an auditor's overdue cases are rare).
  if (filter.scope.kind === 'auditor')
    overdue.push(IN_SET('d.case_id', `SELECT a.case_id FROM assignments a WHERE a.auditor_id = ${p.add(filter.scope.auditorId)}`));
  if (after) overdue.push(afterCursor('d.case_created_at', 'd.case_id', 'DESC', after, p));
  const sorted = (fired: string) =>
    `(SELECT d.case_id, d.case_created_at FROM deadlines d WHERE ${[...overdue, ...(fired ? [fired] : [])].join(' AND ')}
       ORDER BY d.case_created_at DESC, d.case_id DESC)`;
  // An organisation's or an auditor's overdue deadlines are few (the auditor's tested against their set as
  // the index gives them, deadlines_running_due_created_idx): sorted whole; a walk in creation order would
  // meet the auditor's rarely (p50 15 ms against 7–10).
  const few = organisationId !== undefined || filter.scope.kind === 'auditor';
  const deadlines = few ? sorted('') : `${sorted('d.fired_at IS NOT NULL')} UNION ALL ${sorted('d.fired_at IS NULL')}`;
  const where = conditions({ ...filter, scope: { kind: 'all' } }, 'c', p);
  // In order and deduplicated as it streams (Merge Append, Unique); each probe a LATERAL that OFFSET 0 keeps
  // from being flattened into a join: estimated as read (449 k overdue deadlines for 16 k), the planner hashed every case.
  return `SELECT o.case_id AS id
     FROM (SELECT DISTINCT d.case_id, d.case_created_at FROM (${deadlines}) d
            ORDER BY d.case_created_at DESC, d.case_id DESC) o
     CROSS JOIN LATERAL (SELECT 1 FROM cases c WHERE c.id = o.case_id${where.map((w) => ` AND ${w}`).join('')} OFFSET 0) kept
     ORDER BY o.case_created_at DESC, o.case_id DESC
     LIMIT ${p.add(limit)}`;
};

/**
 * An auditor's cases newest first, from their assignments (assignments_auditor_created_idx), each
 * case probed for the other conditions; a case assigned to the auditor twice is met at its first
 * assignment only. A walk of the cases tested against the auditor's set read ~25,000 entries.
 */
const auditorPage = (filter: CaseListFilter, auditorId: string, after: Keyset | null, limit: number, p: Params): string => {
  const walk = [
    `a.auditor_id = ${p.add(auditorId)}`,
    `NOT EXISTS (SELECT 1 FROM assignments b WHERE b.auditor_id = a.auditor_id AND b.case_id = a.case_id AND (b.assigned_at, b.id) < (a.assigned_at, a.id))`,
  ];
  if (after) walk.push(afterCursor('a.case_created_at', 'a.case_id', 'DESC', after, p));
  const where = conditions(filter, 'a', p);
  if (filter.overdue === false) where.push(NOT_OVERDUE);
  return `SELECT a.case_id AS id
     FROM assignments a
     CROSS JOIN LATERAL (SELECT 1 FROM cases c WHERE c.id = a.case_id${where.map((w) => ` AND ${w}`).join('')} OFFSET 0) kept
     WHERE ${walk.join(' AND ')}
     ORDER BY a.case_created_at DESC, a.case_id DESC
     LIMIT ${p.add(limit)}`;
};

@Injectable()
export class CaseQueryRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async list(
    filter: CaseListFilter,
    order: CaseListOrder,
    after: Keyset | null,
    limit: number,
    db: Db = this.dataSource,
  ): Promise<Array<CaseListItemRow & { sortKey: string }>> {
    if (order === 'deadline' || order === 'overdue') return this.listByDeadline(filter, after, limit, db);
    const p = new Params();
    const { key, direction } = ORDER[order];
    const page =
      order === 'created' && filter.overdue === true
        ? overduePage(filter, after, limit, p)
        : order === 'created' && filter.scope.kind === 'auditor'
          ? auditorPage(filter, filter.scope.auditorId, after, limit, p)
          : casesPage(filter, order, after, limit, p);
    // The page first; the model and the deadlines only for its rows (not for every candidate a filter keeps).
    const sql = `${SELECT(key)}
      FROM (${page}) page
      JOIN cases c ON c.id = page.id
      ${JOINS}
      ORDER BY ${key} ${direction}, c.id ${direction}`;
    return db.query(sql, p.values);
  }

  /**
   * By next deadline (or, for `overdue`, by overdue-since), ascending: the cases with a running deadline
   * walked in due order, then (deadline order only) the cases without one, by id (their key is infinity).
   * The second statement runs only when the first leaves the page short: it may have to read every case
   * the filter keeps to find none (every case in audit has a running deadline), and a page that ends
   * among the deadlines does not need it.
   */
  private async listByDeadline(filter: CaseListFilter, after: Keyset | null, limit: number, db: Db): Promise<Array<CaseListItemRow & { sortKey: string }>> {
    const pastDeadlines = after !== null && after[0] === 'infinity';
    const rows: Array<CaseListItemRow & { sortKey: string }> = [];
    if (!pastDeadlines) {
      const p = new Params();
      const running = [...conditions(filter, 'nd', p), EARLIEST_RUNNING];
      if (filter.overdue === true) running.push(`nd.due_at <= now()`);
      if (filter.overdue === false) running.push(`nd.due_at > now()`);
      if (after) running.push(`(nd.due_at, nd.case_id) > (${p.add(after[0])}::timestamptz, ${p.add(after[1])}::uuid)`);
      rows.push(
        ...(await db.query(
          `${SELECT('nd.due_at')}
            ${FROM_BY_DEADLINE}
            WHERE ${running.join(' AND ')}
            ORDER BY nd.due_at, nd.case_id
            LIMIT ${p.add(limit)}`,
          p.values,
        )),
      );
    }
    if (filter.overdue === true || rows.length >= limit) return rows;
    // Cases with no running deadline: key infinity, so only ids after the cursor's when it is past every deadline.
    const p = new Params();
    const idle = [...conditions(filter, 'c', p), `NOT EXISTS (SELECT 1 FROM deadlines e WHERE e.case_id = c.id AND ${RUNNING('e')})`];
    if (pastDeadlines) idle.push(`c.id > ${p.add(after[1])}::uuid`);
    rows.push(
      ...(await db.query(
        `${SELECT(`'infinity'::timestamptz`)}
          FROM cases c
          ${JOINS}
          WHERE ${idle.join(' AND ')}
          ORDER BY c.id
          LIMIT ${p.add(limit - rows.length)}`,
        p.values,
      )),
    );
    return rows;
  }

  /** One row per state that has cases, plus the overdue count; what the queues show. */
  async queueSummary(db: Db = this.dataSource): Promise<Array<{ name: string; count: number; oldestAt: Date | null }>> {
    return db.query(
      `SELECT c.state AS name, count(*)::int AS count, min(c.state_entered_at) AS "oldestAt"
         FROM cases c WHERE NOT c.is_final GROUP BY c.state
       UNION ALL
       SELECT 'overdue', count(DISTINCT case_id)::int, min(due_at) FROM deadlines WHERE ${RUNNING('deadlines')} AND due_at <= now()`,
    );
  }
}
