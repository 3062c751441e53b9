import type pg from 'pg';
import { APPEND_ONLY_FUNCTION } from './append-only.util.js';

/** The login role that api and worker connect as (AppDatabaseRole of @app/config). */
export interface AppRole {
  name: string;
  password: string | null;
}

/** The schema the migrations create tables in. */
const APP_SCHEMA = 'public';

/** TypeORM's own tables: the migrating user's business only. */
const MIGRATION_TABLES = ['migrations', 'typeorm_metadata'];

/** The app role's attributes, by their pg_roles column. */
const ROLE_ATTRIBUTES = {
  rolcanlogin: 'LOGIN',
  rolinherit: 'INHERIT',
  rolsuper: 'NOSUPERUSER',
  rolcreatedb: 'NOCREATEDB',
  rolcreaterole: 'NOCREATEROLE',
  rolreplication: 'NOREPLICATION',
  rolbypassrls: 'NOBYPASSRLS',
} as const;

// 42710 duplicate_object; 23505 when two CREATE ROLEs race past the existence check.
const ROLE_EXISTS = new Set(['42710', '23505']);

const isConcurrentCatalogUpdate = (error: unknown): boolean =>
  /tuple concurrently (updated|deleted)/.test(String((error as { message?: unknown }).message));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates or updates the app's login role: no superuser, no CREATEDB/CREATEROLE/REPLICATION,
 * no BYPASSRLS, a member of no role. Roles are cluster-wide and several databases (test runs,
 * deployments) may migrate at once, so a concurrent creation is tolerated and a concurrent
 * ALTER ROLE of the same row is retried.
 */
export const ensureAppRole = async (client: pg.Client, role: AppRole): Promise<void> => {
  const name = client.escapeIdentifier(role.name);
  const password = `PASSWORD ${role.password === null ? 'NULL' : client.escapeLiteral(role.password)}`;
  const created = await client.query(`CREATE ROLE ${name} WITH ${Object.values(ROLE_ATTRIBUTES).join(' ')} ${password}`).then(
    () => true,
    (error: { code?: string }) => {
      if (!ROLE_EXISTS.has(error.code ?? '')) throw error;
      return false;
    },
  );
  if (!created) {
    // Only the attributes that differ: a CREATEROLE owner that is no superuser may not name SUPERUSER, REPLICATION or BYPASSRLS.
    const { rows } = await client.query<Record<keyof typeof ROLE_ATTRIBUTES, boolean>>(
      `SELECT ${Object.keys(ROLE_ATTRIBUTES).join(', ')} FROM pg_roles WHERE rolname = $1`,
      [role.name],
    );
    const current = rows[0];
    const changes = Object.entries(ROLE_ATTRIBUTES)
      .filter(([column, attribute]) => current?.[column as keyof typeof ROLE_ATTRIBUTES] !== !attribute.startsWith('NO'))
      .map(([, attribute]) => attribute);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.query(`ALTER ROLE ${name} WITH ${[...changes, password].join(' ')}`);
        break;
      } catch (error) {
        if (!isConcurrentCatalogUpdate(error) || attempt === 5) throw error;
        await pause(20 * attempt + Math.random() * 50);
      }
    }
  }
  // A membership would lend the app another role's privileges (the owner's, pg_write_all_data…).
  const { rows: memberships } = await client.query<{ granted: string }>(
    `SELECT r.rolname AS granted FROM pg_auth_members m
       JOIN pg_roles r ON r.oid = m.roleid
       JOIN pg_roles a ON a.oid = m.member
      WHERE a.rolname = $1`,
    [role.name],
  );
  for (const { granted } of memberships) await client.query(`REVOKE ${client.escapeIdentifier(granted)} FROM ${name}`);
};

/**
 * Sets the app role's privileges in the current database, from scratch, in one transaction:
 * CONNECT, USAGE on the schema and its sequences, SELECT and INSERT on every table, UPDATE and
 * DELETE on every table that is not append-only, nothing on TypeORM's migrations table and
 * never TRUNCATE, REFERENCES, TRIGGER or ownership. Run at the end of every migrate, so tables
 * a later migration creates are covered with no default privileges to keep in step.
 */
export const grantAppRole = async (client: pg.Client, role: AppRole): Promise<void> => {
  const name = client.escapeIdentifier(role.name);
  const schema = client.escapeIdentifier(APP_SCHEMA);
  await client.query('BEGIN');
  try {
    const [{ database }] = (await client.query<{ database: string }>('SELECT current_database() AS database')).rows as [{ database: string }];
    await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(database)} TO ${name}`);
    // Whatever the app role owns here (left by an older setup) goes to the migrating user.
    const owned = await client.query(
      `SELECT 1 FROM pg_shdepend d JOIN pg_database db ON db.oid = d.dbid
        WHERE d.refobjid = (SELECT oid FROM pg_roles WHERE rolname = $1) AND d.deptype = 'o' AND db.datname = current_database()
        LIMIT 1`,
      [role.name],
    );
    if (owned.rowCount) await client.query(`REASSIGN OWNED BY ${name} TO CURRENT_USER`);

    await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${name}`);
    await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${name}`);
    await client.query(`REVOKE CREATE ON SCHEMA ${schema} FROM ${name}`);
    // Before Postgres 15 every role could create in `public`: close that for the app role too.
    const { rows: creates } = await client.query<{ can: boolean }>(`SELECT has_schema_privilege($1, $2, 'CREATE') AS can`, [role.name, APP_SCHEMA]);
    if (creates[0]?.can) await client.query(`REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC`);
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${name}`);
    const { rows: tables } = await client.query<{ table: string; kind: string; appendOnly: boolean }>(
      `SELECT c.relname AS "table", c.relkind AS kind,
              EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgfoid = to_regproc($2)) AS "appendOnly"
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT (c.relname = ANY ($3))
        ORDER BY c.relname`,
      [APP_SCHEMA, `${APP_SCHEMA}.${APPEND_ONLY_FUNCTION}`, MIGRATION_TABLES],
    );
    for (const { table, kind, appendOnly } of tables) {
      const privileges = kind === 'v' || kind === 'm' ? 'SELECT' : appendOnly ? 'SELECT, INSERT' : 'SELECT, INSERT, UPDATE, DELETE';
      await client.query(`GRANT ${privileges} ON ${schema}.${client.escapeIdentifier(table)} TO ${name}`);
    }
    await client.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${name}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
};
