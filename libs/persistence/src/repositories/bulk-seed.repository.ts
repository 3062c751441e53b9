import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

/**
 * Bulk loading for `npm run seed:scale`: one `COPY … FROM STDIN` per table per batch (text
 * format, streamed), the fastest way into Postgres short of writing files on its host. Rows are
 * column arrays (`columns[name][i]`), built by the seeder.
 *
 * When the role may (a superuser, as in development and CI), the seed's sessions run with
 * `session_replication_role = replica`, as pg_restore's `--disable-triggers` does: per-row
 * triggers do not fire for its rows. That skips two things, both made up for: the foreign-key
 * checks (one lookup per row) are run once, set-wise, by `verifyForeignKeys()` at the end; and the
 * heads-queue trigger (one `case_heads_changes` row per case and per history row) is replaced
 * by one row per case with its final head, which is all the heads job needs. Other sessions
 * (the api, the worker) are not affected: the setting is the seed's connections' own.
 */
export type ColumnBatch = Record<string, unknown[]>;

interface TableSpec {
  table: string;
  /** The columns, in COPY order. */
  columns: readonly string[];
}

const TABLES = {
  organisations: { table: 'organisations', columns: ['id', 'name', 'kind'] },
  users: { table: 'users', columns: ['id', 'email', 'display_name', 'organisation_id', 'role'] },
  api_tokens: { table: 'api_tokens', columns: ['user_id', 'token_hash', 'label', 'expires_at'] },
  model_versions: { table: 'model_versions', columns: ['id', 'developer_organisation_id', 'name', 'version', 'created_at'] },
  cases: {
    table: 'cases',
    columns: [
      'id', 'model_version_id', 'developer_organisation_id', 'state', 'is_final', 'workflow_version', 'policy_pack_id',
      'policy_pack_version', 'context', 'version', 'revision', 'revision_hash', 'tier', 'assessment', 'released_at',
      'created_by', 'created_at', 'state_entered_at', 'head_hash', 'last_seq',
    ],
  },
  case_events: {
    table: 'case_events',
    columns: ['case_id', 'seq', 'type', 'actor', 'from_state', 'to_state', 'at', 'payload', 'prev_hash', 'hash'],
  },
  revisions: {
    table: 'revisions',
    columns: ['case_id', 'number', 'hash', 'assessment', 'evidence_ids', 'evidence_sha256', 'tier', 'submitted_by', 'submitted_at'],
  },
  assignments: { table: 'assignments', columns: ['case_id', 'auditor_id', 'audit_firm_id', 'assigned_at', 'case_created_at'] },
  deadlines: {
    table: 'deadlines',
    columns: ['case_id', 'kind', 'opened_at', 'due_at', 'escalated_at', 'fired_at', 'closed_at', 'case_created_at', 'developer_organisation_id'],
  },
  case_heads_changes: { table: 'case_heads_changes', columns: ['case_id', 'seq', 'hash'] },
} satisfies Record<string, TableSpec>;

export type SeedTable = keyof typeof TABLES;

/** The tables the seed writes; their foreign keys are verified after a load without triggers. */
const SEEDED_TABLES = Object.values(TABLES).map((spec) => spec.table);

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** COPY's text format: `\N` for null, backslash escapes for the characters that delimit. */
const field = (value: unknown): string => {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'boolean' ? (value ? 't' : 'f') : String(value);
  return /[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : text;
};

/** One row in COPY's text format, with its newline. */
export const copyLine = (values: readonly unknown[]): string => `${values.map(field).join('\t')}\n`;

/** The batch as COPY text, a chunk of rows at a time. */
function* copyText(columns: unknown[][], count: number): Generator<string> {
  const CHUNK = 500;
  for (let first = 0; first < count; first += CHUNK) {
    let text = '';
    for (let i = first; i < Math.min(count, first + CHUNK); i++) text += copyLine(columns.map((column) => column[i]));
    yield text;
  }
}

export class BulkSeedRepository {
  private constructor(
    private readonly pool: pg.Pool,
    /** Whether per-row triggers are off in the seed's sessions (see the class comment). */
    readonly triggersOff: boolean,
  ) {}

  /** A pool of `connections` sessions on `url`, with triggers off when the role may turn them off. */
  static async connect(url: string, connections: number): Promise<BulkSeedRepository> {
    const probe = new pg.Client({ connectionString: url });
    await probe.connect();
    const { rows } = await probe.query<{ rolsuper: boolean }>(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
    await probe.end();
    const triggersOff = rows[0]?.rolsuper === true;
    const pool = new pg.Pool({
      connectionString: url,
      max: connections,
      ...(triggersOff ? { options: '-c session_replication_role=replica' } : {}),
    });
    return new BulkSeedRepository(pool, triggersOff);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Writes one batch into `table` with COPY; every column array has the same length. */
  async insert(table: SeedTable, rows: ColumnBatch): Promise<number> {
    const spec: TableSpec = TABLES[table];
    const columns = spec.columns.map((name) => rows[name] ?? []);
    const count = columns[0]?.length ?? 0;
    if (count === 0) return 0;
    const client = await this.pool.connect();
    try {
      const sink = client.query(copyStreams.from(`COPY ${spec.table} (${spec.columns.join(', ')}) FROM STDIN`));
      await pipeline(Readable.from(copyText(columns, count)), sink);
    } finally {
      client.release();
    }
    return count;
  }

  /** Empty column arrays for `table`, to push rows into. */
  static batch(table: SeedTable): ColumnBatch {
    return Object.fromEntries(TABLES[table].columns.map((name) => [name, []]));
  }

  /** The shipped policy packs and the workflow the seeded cases name must exist (the api publishes them at boot too). */
  async publishPolicyPack(id: string, version: string, document: unknown): Promise<void> {
    await this.pool.query(
      `INSERT INTO policy_packs (id, version, version_key, document) VALUES ($1, $2, $3, $4) ON CONFLICT (id, version) DO NOTHING`,
      [id, version, version.split('.').map(Number), document],
    );
  }

  /**
   * Every foreign key of the seeded tables checked at once (an anti-join per key), as
   * `ALTER TABLE … ADD FOREIGN KEY` would: the rows loaded without triggers must satisfy them.
   * Returns the keys with violations and how many rows break each.
   */
  async verifyForeignKeys(): Promise<Array<{ constraint: string; violations: number }>> {
    const keys = await this.pool.query<{ name: string; child: string; parent: string; columns: string[]; referenced: string[] }>(
      `SELECT c.conname AS name, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
              array_agg(a.attname::text ORDER BY k.n) AS columns, array_agg(r.attname::text ORDER BY k.n) AS referenced
         FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(col, ref, n)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
         JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = k.ref
        WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY($1::text[])
        GROUP BY c.conname, c.conrelid, c.confrelid`,
      [SEEDED_TABLES],
    );
    const broken: Array<{ constraint: string; violations: number }> = [];
    for (const key of keys.rows) {
      // MATCH SIMPLE: a row with a null in the key references nothing.
      const present = key.columns.map((column) => `x.${column} IS NOT NULL`).join(' AND ');
      const matches = key.columns.map((column, i) => `p.${key.referenced[i]} = x.${column}`).join(' AND ');
      const { rows } = await this.pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM ${key.child} x WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${key.parent} p WHERE ${matches})`,
      );
      if (rows[0]!.count > 0) broken.push({ constraint: `${key.child}.${key.name}`, violations: rows[0]!.count });
    }
    return broken;
  }

  /** Rows per state, to report the mix. */
  async stateCounts(): Promise<Array<{ state: string; count: number }>> {
    const { rows } = await this.pool.query<{ state: string; count: number }>(
      `SELECT state, count(*)::int AS count FROM cases GROUP BY state ORDER BY state`,
    );
    return rows;
  }

  /** Fresh statistics and visibility maps after a bulk load, so the planner sees the new sizes at once. */
  async vacuumAnalyze(): Promise<void> {
    await this.pool.query(`VACUUM (ANALYZE)`);
  }
}
