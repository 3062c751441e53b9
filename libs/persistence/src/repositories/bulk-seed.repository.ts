import type { Db } from '../sql.util.js';

/**
 * Multi-row inserts for `npm run seed:scale`: one statement per table per batch, each column
 * passed as one array parameter and spread by `unnest`, so a batch of thousands of rows is one
 * round trip. Rows are column arrays (`columns[name][i]`), built by the seeder.
 */
export type ColumnBatch = Record<string, unknown[]>;

interface TableSpec {
  table: string;
  /** Column name → Postgres array type of its parameter. */
  columns: Record<string, string>;
}

const TABLES = {
  organisations: { table: 'organisations', columns: { id: 'uuid', name: 'text', kind: 'text' } },
  users: {
    table: 'users',
    columns: { id: 'uuid', email: 'text', display_name: 'text', organisation_id: 'uuid', role: 'text' },
  },
  api_tokens: {
    table: 'api_tokens',
    columns: { user_id: 'uuid', token_hash: 'text', label: 'text', expires_at: 'timestamptz' },
  },
  model_versions: {
    table: 'model_versions',
    columns: { id: 'uuid', developer_organisation_id: 'uuid', name: 'text', version: 'text', created_at: 'timestamptz' },
  },
  cases: {
    table: 'cases',
    columns: {
      id: 'uuid',
      model_version_id: 'uuid',
      developer_organisation_id: 'uuid',
      state: 'text',
      is_final: 'bool',
      workflow_version: 'text',
      policy_pack_id: 'text',
      policy_pack_version: 'text',
      context: 'jsonb',
      version: 'int',
      revision: 'int',
      revision_hash: 'text',
      tier: 'text',
      assessment: 'jsonb',
      released_at: 'timestamptz',
      created_by: 'uuid',
      created_at: 'timestamptz',
      state_entered_at: 'timestamptz',
      head_hash: 'text',
      last_seq: 'int',
    },
  },
  case_events: {
    table: 'case_events',
    columns: {
      case_id: 'uuid',
      seq: 'int',
      type: 'text',
      actor: 'jsonb',
      from_state: 'text',
      to_state: 'text',
      at: 'timestamptz',
      payload: 'jsonb',
      prev_hash: 'text',
      hash: 'text',
    },
  },
  revisions: {
    table: 'revisions',
    columns: {
      case_id: 'uuid',
      number: 'int',
      hash: 'text',
      assessment: 'jsonb',
      evidence_ids: 'text',
      evidence_sha256: 'text',
      tier: 'text',
      submitted_by: 'uuid',
      submitted_at: 'timestamptz',
    },
  },
  assignments: {
    table: 'assignments',
    columns: { case_id: 'uuid', auditor_id: 'uuid', audit_firm_id: 'uuid', assigned_at: 'timestamptz' },
  },
  deadlines: {
    table: 'deadlines',
    columns: {
      case_id: 'uuid',
      kind: 'text',
      opened_at: 'timestamptz',
      due_at: 'timestamptz',
      escalated_at: 'timestamptz',
      fired_at: 'timestamptz',
      closed_at: 'timestamptz',
    },
  },
} satisfies Record<string, TableSpec>;

export type SeedTable = keyof typeof TABLES;

// Array columns (evidence_ids, evidence_sha256) arrive as array literals ('{}'): unnest a text[] and cast each.
const ARRAY_COLUMNS: Record<string, string> = { evidence_ids: 'uuid[]', evidence_sha256: 'text[]' };

const insertSql = (spec: TableSpec): string => {
  const names = Object.keys(spec.columns);
  const params = names.map((name, i) => `$${i + 1}::${spec.columns[name]}[]`);
  const select = names.map((name) => (ARRAY_COLUMNS[name] ? `${name}::${ARRAY_COLUMNS[name]}` : name));
  return `INSERT INTO ${spec.table} (${names.join(', ')})
    SELECT ${select.join(', ')} FROM unnest(${params.join(', ')}) AS t(${names.join(', ')})`;
};

export class BulkSeedRepository {
  constructor(private readonly db: Db) {}

  /** Inserts one batch into `table`; every column array has the same length. */
  async insert(table: SeedTable, rows: ColumnBatch): Promise<number> {
    const spec: TableSpec = TABLES[table];
    const values = Object.keys(spec.columns).map((name) => rows[name] ?? []);
    const count = values[0]?.length ?? 0;
    if (count === 0) return 0;
    await this.db.query(insertSql(spec), values);
    return count;
  }

  /** Empty column arrays for `table`, to push rows into. */
  static batch(table: SeedTable): ColumnBatch {
    return Object.fromEntries(Object.keys(TABLES[table].columns).map((name) => [name, []]));
  }

  /** The shipped policy packs and the workflow the seeded cases name must exist (the api publishes them at boot too). */
  async publishPolicyPack(id: string, version: string, document: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO policy_packs (id, version, version_key, document) VALUES ($1, $2, $3, $4) ON CONFLICT (id, version) DO NOTHING`,
      [id, version, version.split('.').map(Number), document],
    );
  }

  /** Rows per state, to report the mix. */
  async stateCounts(): Promise<Array<{ state: string; count: number }>> {
    return this.db.query(`SELECT state, count(*)::int AS count FROM cases GROUP BY state ORDER BY state`);
  }

  /** Fresh statistics and visibility maps after a bulk load, so the planner sees the new sizes at once. */
  async vacuumAnalyze(): Promise<void> {
    await this.db.query(`VACUUM (ANALYZE)`);
  }
}
