import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { KEYSETS, Paginator, allPages, pageSchema, queryFingerprint, type CsvColumn, type PageQuery } from '@app/http';
import { TIERS } from '@app/policy';
import { CaseQueryRepository, iso, type CaseListFilter, type CaseListItemRow, type CaseListOrder, type ReaderScope } from '@app/persistence';
import { CASE_STATES, FINAL_STATES, type CaseState } from '@app/workflow';
import { ReadSummariesService } from './read-summaries.service.js';

export const listCasesQuerySchema = z.strictObject({
  state: z.enum(CASE_STATES).optional(),
  tier: z.enum(TIERS).optional(),
  developerOrganisationId: z.uuid().optional(),
  overdue: z.enum(['true', 'false']).optional(),
  sort: z.enum(['created', 'deadline']).default('created'),
  ...pageSchema,
});

export const queueQuerySchema = z.strictObject(pageSchema);

export const toListItem = (row: CaseListItemRow) => ({
  id: row.id,
  state: row.state,
  version: row.version,
  revision: row.revision,
  tier: row.tier,
  model: {
    id: row.modelId,
    name: row.modelName,
    version: row.modelVersion,
    checkpointSha256: row.checkpointSha256,
    baseModels: row.baseModels,
  },
  developerOrganisationId: row.developerOrganisationId,
  createdAt: iso(row.createdAt),
  stateEnteredAt: iso(row.stateEnteredAt),
  nextDeadline: iso(row.nextDeadline),
});

export type CaseListItem = ReturnType<typeof toListItem>;

/** The CSV export's columns: the list item's fields, the model's flattened, lineage as JSON. */
export const CASE_CSV_COLUMNS: ReadonlyArray<CsvColumn<CaseListItem>> = [
  { header: 'id', value: (c) => c.id },
  { header: 'state', value: (c) => c.state },
  { header: 'version', value: (c) => c.version },
  { header: 'revision', value: (c) => c.revision },
  { header: 'tier', value: (c) => c.tier },
  { header: 'modelId', value: (c) => c.model.id },
  { header: 'modelName', value: (c) => c.model.name },
  { header: 'modelVersion', value: (c) => c.model.version },
  { header: 'checkpointSha256', value: (c) => c.model.checkpointSha256 },
  { header: 'baseModels', value: (c) => JSON.stringify(c.model.baseModels ?? []) },
  { header: 'developerOrganisationId', value: (c) => c.developerOrganisationId },
  { header: 'createdAt', value: (c) => c.createdAt },
  { header: 'stateEnteredAt', value: (c) => c.stateEnteredAt },
  { header: 'nextDeadline', value: (c) => c.nextDeadline },
];

/** Rows per keyset page when an export walks a whole list (the JSON maximum). */
export const EXPORT_PAGE_SIZE = 200;

/** Keyset pages over what the caller may read; filters only narrow. */
@Injectable()
export class ListCasesQuery {
  constructor(
    private readonly query: CaseQueryRepository,
    private readonly paginator: Paginator,
    private readonly summaries: ReadSummariesService,
  ) {}

  async execute(scope: ReaderScope, q: z.infer<typeof listCasesQuerySchema>) {
    const filter: CaseListFilter = {
      scope,
      states: q.state ? [q.state] : undefined,
      tier: q.tier,
      developerOrganisationId: q.developerOrganisationId,
      overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    };
    return this.page(filter, q.sort, { ...q, limit: undefined, cursor: undefined }, q);
  }

  /** Every page of `execute` from the query's cursor on (the CSV export); `limit` does not cap it. */
  async allPages(scope: ReaderScope, q: z.infer<typeof listCasesQuerySchema>) {
    return allPages((cursor) => this.execute(scope, { ...q, limit: EXPORT_PAGE_SIZE, cursor }), q.cursor);
  }

  /** Every page of a queue from the query's cursor on (the CSV export). */
  async allQueuePages(name: string, q: z.infer<typeof queueQuerySchema>) {
    return allPages((cursor) => this.queue(name, { ...q, limit: EXPORT_PAGE_SIZE, cursor }), q.cursor);
  }

  /** A queue: one state's cases oldest first, or the overdue ones by due time. */
  async queue(name: string, q: z.infer<typeof queueQuerySchema>) {
    if (name === 'overdue') return this.page({ scope: { kind: 'all' }, overdue: true }, 'overdue', { name }, q);
    return this.page({ scope: { kind: 'all' }, states: [name as CaseState] }, 'state_entered', { name }, q);
  }

  private async page(filter: CaseListFilter, order: CaseListOrder, query: Record<string, unknown>, page: PageQuery) {
    return this.paginator.paginate(page, {
      fingerprint: queryFingerprint({ ...query, order }),
      keyset: KEYSETS.timeAndId,
      fetch: (after, rows) => this.query.list(filter, order, after, rows),
      keyOf: (row) => [row.sortKey, row.id],
      view: toListItem,
    });
  }

  /**
   * One queue per non-final state plus `overdue`, each with its count and oldest entry; at scale from
   * the refreshed summary, with its age (counting half a million open cases takes longer than a page).
   */
  async queueSummary() {
    return this.summaries.read('queues', () => this.countQueues());
  }

  private async countQueues() {
    const rows = await this.query.queueSummary();
    const names = [...CASE_STATES.filter((s) => !FINAL_STATES.includes(s)), 'overdue'];
    return names.map((name) => {
      const row = rows.find((r) => r.name === name);
      return { name, count: row?.count ?? 0, oldestAt: iso(row?.oldestAt ?? null) };
    });
  }

  isQueueName(name: string): boolean {
    return name === 'overdue' || (CASE_STATES.includes(name as CaseState) && !FINAL_STATES.includes(name as CaseState));
  }
}
