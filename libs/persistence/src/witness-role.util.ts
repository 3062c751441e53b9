import type pg from 'pg';
import type { AppRole } from './app-role.util.js';

/** The witness's schema (migration 1764820000000-Witness). */
export const WITNESS_SCHEMA = 'witness';

/**
 * What the witness role may do, table by table: nothing is ever deleted, a cosigned tree and a
 * key are never rewritten, and only `logs` (the latest tree per origin) and `alerts` (their
 * occurrence count) are updated in place.
 */
const WITNESS_TABLE_PRIVILEGES: Record<string, string> = {
  signing_keys: 'SELECT, INSERT',
  logs: 'SELECT, INSERT, UPDATE',
  cosigned_trees: 'SELECT, INSERT',
  alerts: 'SELECT, INSERT, UPDATE',
};

/** What the app role may read of the witness schema: the alerts regulators see (GET /v1/witness-alerts). */
const APP_READABLE = ['alerts'];

/**
 * Sets the witness role's and the app role's privileges on the witness schema, from scratch, in one
 * transaction: the witness role gets USAGE on its schema and the table privileges above and
 * nothing in `public` (Postgres grants USAGE on `public` to every role by default: that grant is
 * replaced by the app role's own); the app role gets SELECT on `witness.alerts` only. Whatever the
 * witness role owns goes to the migrating user. Run by every migrate, after the app role's grants.
 */
export const grantWitnessRole = async (client: pg.Client, witness: AppRole, app: AppRole): Promise<void> => {
  const name = client.escapeIdentifier(witness.name);
  const appName = client.escapeIdentifier(app.name);
  const schema = client.escapeIdentifier(WITNESS_SCHEMA);
  await client.query('BEGIN');
  try {
    const [{ database }] = (await client.query<{ database: string }>('SELECT current_database() AS database')).rows as [{ database: string }];
    await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(database)} TO ${name}`);
    const owned = await client.query(
      `SELECT 1 FROM pg_shdepend d JOIN pg_database db ON db.oid = d.dbid
        WHERE d.refobjid = (SELECT oid FROM pg_roles WHERE rolname = $1) AND d.deptype = 'o' AND db.datname = current_database()
        LIMIT 1`,
      [witness.name],
    );
    if (owned.rowCount) await client.query(`REASSIGN OWNED BY ${name} TO CURRENT_USER`);

    // Nothing in public: no table (grantAppRole grants only the app role) and not even USAGE.
    await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${name}`);
    await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${name}`);
    await client.query(`REVOKE ALL ON SCHEMA public FROM ${name}`);
    const { rows: usage } = await client.query<{ can: boolean }>(`SELECT has_schema_privilege($1, 'public', 'USAGE') AS can`, [witness.name]);
    if (usage[0]?.can) {
      await client.query(`GRANT USAGE ON SCHEMA public TO ${appName}`);
      await client.query(`REVOKE USAGE ON SCHEMA public FROM PUBLIC`);
    }

    await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${name}, ${appName}`);
    await client.query(`REVOKE ALL ON SCHEMA ${schema} FROM ${name}, ${appName}`);
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${name}, ${appName}`);
    const { rows: tables } = await client.query<{ table: string }>(
      `SELECT c.relname AS "table" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
      [WITNESS_SCHEMA],
    );
    for (const { table } of tables) {
      const privileges = WITNESS_TABLE_PRIVILEGES[table];
      if (privileges) await client.query(`GRANT ${privileges} ON ${schema}.${client.escapeIdentifier(table)} TO ${name}`);
      if (APP_READABLE.includes(table)) await client.query(`GRANT SELECT ON ${schema}.${client.escapeIdentifier(table)} TO ${appName}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
};
