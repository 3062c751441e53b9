import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { appDatabaseRole } from '@app/config';
import { RegistryPublisherService } from '@app/cases';
import { MIGRATIONS } from '@app/migrations';
import { createDataSource, ensureAppRole, makeAppendOnly, migrateDatabase } from '@app/persistence';
import { highTierAssessment, waitFor } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

/** SPEC.md "Database roles": the append-only tables that exist today. */
const APPEND_ONLY = ['case_events', 'opinion_voids', 'opinions', 'registry_log_checkpoints', 'registry_log_entries', 'registry_records', 'revisions'];
const REWRITES = ['UPDATE', 'DELETE', 'TRUNCATE'] as const;

interface PgError {
  code?: string;
  message: string;
}

/** Runs `sql` in a transaction that is always rolled back (a rewrite that wrongly succeeds changes nothing); the error, or null. */
const attempt = async (client: pg.Client, sql: string): Promise<PgError | null> => {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    return null;
  } catch (error) {
    return error as PgError;
  } finally {
    await client.query('ROLLBACK');
  }
};

/** A statement that rewrites every row of `table` (UPDATE sets a column to itself). */
const rewrite = async (client: pg.Client, op: (typeof REWRITES)[number], table: string): Promise<string> => {
  switch (op) {
    case 'UPDATE': {
      const { rows } = await client.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 LIMIT 1`, [table]);
      const column = client.escapeIdentifier(String(rows[0]!.column_name));
      return `UPDATE ${client.escapeIdentifier(table)} SET ${column} = ${column}`;
    }
    case 'DELETE':
      return `DELETE FROM ${client.escapeIdentifier(table)}`;
    case 'TRUNCATE':
      return `TRUNCATE ${client.escapeIdentifier(table)} CASCADE`;
  }
};

describe('database roles: api and worker run as a least-privilege role; append-only tables refuse rewrites', () => {
  const suite = useSuite();
  /** The DATABASE_URL user: owner of every table (a superuser on a test machine). */
  let owner: pg.Client;
  /** The app role, connected as api and worker are. */
  let app: pg.Client;
  let role: string;

  const appendOnlyTables = async (): Promise<string[]> =>
    (
      await owner.query(
        `SELECT DISTINCT c.relname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
          WHERE p.proname = 'refuse_append_only_change' ORDER BY 1`,
      )
    ).rows.map((r) => r.name as string);

  const opinionRows = async (caseId: string) => (await owner.query('SELECT * FROM opinions WHERE case_id = $1 ORDER BY issued_at, id', [caseId])).rows;
  const voidRows = async (caseId: string) =>
    (await owner.query('SELECT opinion_id AS "opinionId", voided_at AS "voidedAt" FROM opinion_voids WHERE case_id = $1 ORDER BY voided_at, opinion_id', [caseId])).rows;

  beforeAll(async () => {
    role = suite.stack.config.DATABASE_APP_ROLE;
    owner = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await owner.connect();
    app = new pg.Client({ connectionString: suite.stack.config.DATABASE_APP_URL });
    await app.connect();

    // A row in every append-only table: history, a revision, an opinion replaced by a flag's, a record, a checkpoint.
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    expect((await suite.driver.approve(suite.world.auditorA, caseId)).state).toBe('cleared');
    await waitFor(
      async () => (await owner.query('SELECT count(*)::int AS n FROM registry_records WHERE case_id = $1', [caseId])).rows[0].n as number,
      (n) => n > 0,
      { timeoutMs: 15_000, what: 'a registry record' },
    );
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'FLAG', { reason: 'on reflection', opinion: 'disclaimer', assurance: 'limited' });
    await suite.stack.api.get(RegistryPublisherService).signCheckpoint();
  });
  afterAll(async () => {
    await app?.end();
    await owner?.end();
  });

  it('connects api and worker as a login role that is no superuser, owns nothing, is a member of nothing and may create neither roles nor databases', async () => {
    await suite.driver.inAudit([suite.world.auditorA]);
    // The worker's relay polls all the time; the api's pool keeps its connections for a few seconds.
    const sessions = await waitFor(
      async () =>
        (
          await owner.query(
            `SELECT pid, usename AS "user", application_name AS "applicationName" FROM pg_stat_activity
              WHERE datname = current_database() AND backend_type = 'client backend' AND pid NOT IN ($1, $2)`,
            [(await owner.query('SELECT pg_backend_pid() AS pid')).rows[0].pid, (await app.query('SELECT pg_backend_pid() AS pid')).rows[0].pid],
          )
        ).rows as Array<{ user: string; applicationName: string }>,
      (rows) => ['clearance-api', 'clearance-worker'].every((name) => rows.some((r) => r.applicationName === name)) || rows.some((r) => r.user !== role),
      { what: 'api and worker sessions' },
    );
    // Every other session on the database is api's or worker's, all as the app role.
    expect(sessions.filter((s) => s.user !== role)).toEqual([]);
    expect(new Set(sessions.map((s) => s.applicationName))).toEqual(new Set(['clearance-api', 'clearance-worker']));

    const [attributes] = (
      await owner.query(
        `SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
                (SELECT count(*)::int FROM pg_shdepend d WHERE d.refobjid = r.oid AND d.deptype = 'o') AS "ownedAnywhere",
                (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) + (SELECT count(*)::int FROM pg_proc p WHERE p.proowner = r.oid)
                  + (SELECT count(*)::int FROM pg_namespace n WHERE n.nspowner = r.oid) + (SELECT count(*)::int FROM pg_type t WHERE t.typowner = r.oid) AS "ownedHere",
                (SELECT count(*)::int FROM pg_auth_members m WHERE m.member = r.oid) AS memberships
           FROM pg_roles r WHERE r.rolname = $1`,
        [role],
      )
    ).rows;
    expect(attributes).toEqual({
      rolcanlogin: true,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
      ownedAnywhere: 0,
      ownedHere: 0,
      memberships: 0,
    });
    // The app cannot grant itself more: no schema objects, no roles.
    expect((await attempt(app, 'CREATE TABLE roles_probe (id int)'))?.code).toBe('42501');
    expect((await attempt(app, `CREATE ROLE roles_probe_${randomBytes(3).toString('hex')}`))?.code).toBe('42501');
    expect((await attempt(app, `ALTER TABLE case_events DISABLE TRIGGER USER`))?.code).toBe('42501');
  });

  it('runs the api\'s sessions without JIT compilation or parallel workers, ending a transaction left idle or a session whose client vanished, and a pooler\'s (no named statements) with the server\'s settings', async () => {
    const settings = `SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers, current_setting('idle_in_transaction_session_timeout') AS idle,
                             current_setting('tcp_keepalives_idle') AS "keepalivesIdle", current_setting('tcp_keepalives_interval') AS "keepalivesInterval", current_setting('tcp_keepalives_count') AS "keepalivesCount"`;
    const ours = { jit: 'off', workers: '0', idle: '1min', keepalivesIdle: '30', keepalivesInterval: '10', keepalivesCount: '3' };
    expect(await suite.stack.api.get(DataSource).query(settings)).toEqual([ours]);
    expect(await suite.stack.worker!.get(DataSource).query(settings)).toEqual([ours]);
    const pooled = await createDataSource(suite.stack.config.DATABASE_APP_URL, [], 1, false).initialize();
    try {
      expect(await pooled.query(settings)).toEqual((await owner.query(settings)).rows);
    } finally {
      await pooled.destroy();
    }
  });

  it('grants SELECT and INSERT on append-only tables, UPDATE and DELETE only on the others, nothing on the migrations table and never TRUNCATE', async () => {
    expect(await appendOnlyTables()).toEqual(expect.arrayContaining(APPEND_ONLY));
    const { rows } = await owner.query(
      `SELECT c.relname AS "table",
              has_table_privilege($1, c.oid, 'SELECT') AS "select", has_table_privilege($1, c.oid, 'INSERT') AS "insert",
              has_table_privilege($1, c.oid, 'UPDATE') AS "update", has_table_privilege($1, c.oid, 'DELETE') AS "delete",
              has_table_privilege($1, c.oid, 'TRUNCATE') OR has_table_privilege($1, c.oid, 'REFERENCES') OR has_table_privilege($1, c.oid, 'TRIGGER') AS other
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
      [role],
    );
    const appendOnly = new Set(await appendOnlyTables());
    expect(rows.length).toBeGreaterThan(APPEND_ONLY.length);
    for (const row of rows) {
      const expected =
        row.table === 'migrations'
          ? { select: false, insert: false, update: false, delete: false }
          : appendOnly.has(row.table)
            ? { select: true, insert: true, update: false, delete: false }
            : { select: true, insert: true, update: true, delete: true };
      expect(row).toEqual({ table: row.table, ...expected, other: false });
    }
    expect((await owner.query(`SELECT has_database_privilege($1, current_database(), 'CONNECT') AS ok`, [role])).rows[0].ok).toBe(true);
  });

  it.each(APPEND_ONLY)('refuses UPDATE, DELETE and TRUNCATE on %s: to the app role for want of privilege, to the owner by trigger', async (table) => {
    expect((await owner.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBeGreaterThan(0);
    for (const op of REWRITES) {
      const sql = await rewrite(owner, op, table);
      const asApp = await attempt(app, sql);
      expect({ op, code: asApp?.code, message: asApp?.message }).toEqual({ op, code: '42501', message: expect.stringMatching(/^permission denied for table/) });
      const asOwner = await attempt(owner, sql);
      expect({ op, code: asOwner?.code, message: asOwner?.message }).toEqual({
        op,
        code: '42501',
        // TRUNCATE … CASCADE may reach a referencing append-only table's trigger first.
        message: expect.stringMatching(op === 'TRUNCATE' ? /^\w+ is append-only: TRUNCATE refused$/ : new RegExp(`^${table} is append-only: ${op} refused$`)),
      });
    }
  });

  it('voids an opinion by appending a void row when a FLAG replaces it: the opinion row never changes', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    await suite.driver.approve(suite.world.auditorA, caseId);
    const [approved] = await opinionRows(caseId);
    const flagged = await suite.driver.fireOk(suite.world.auditorA, caseId, 'FLAG', { reason: 'the trial was too small', opinion: 'adverse', assurance: 'reasonable' });

    expect(flagged.opinions.map((o: { kind: string }) => o.kind)).toEqual(['adverse']);
    const rows = await opinionRows(caseId);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(approved);
    expect(rows[1]).toMatchObject({ kind: 'adverse', basis: 'the trial was too small' });
    const history = await suite.driver.history(caseId);
    expect(await voidRows(caseId)).toEqual([{ opinionId: approved.id, voidedAt: new Date(history.at(-1)!.at) }]);
  });

  it('voids the declarer\'s opinions on DECLARE_CONFLICT and the replaced auditor\'s on REASSIGN_AUDITOR, by appended rows only', async () => {
    const conflicted = await suite.driver.inAudit([suite.world.auditorA]);
    await suite.driver.approve(suite.world.auditorA, conflicted);
    const before = await opinionRows(conflicted);
    const declared = await suite.driver.fireOk(suite.world.auditorA, conflicted, 'DECLARE_CONFLICT', { kind: 'financial', scope: 'individual', reason: 'shares held' });
    expect(declared.state).toBe('awaiting_assignment');
    expect(declared.opinions).toEqual([]);
    expect(await opinionRows(conflicted)).toEqual(before);
    expect((await voidRows(conflicted)).map((v) => v.opinionId)).toEqual(before.map((o) => o.id));

    // High tier: two sign-offs, so the case stays in audit after the first.
    const reassigned = await suite.driver.inAudit([suite.world.auditorB, suite.world.auditorC], highTierAssessment());
    expect((await suite.driver.approve(suite.world.auditorB, reassigned)).state).toBe('in_audit');
    const signed = await opinionRows(reassigned);
    const after = await suite.driver.fireOk(suite.world.regulator, reassigned, 'REASSIGN_AUDITOR', {
      fromAuditorId: suite.world.auditorB.id,
      toAuditorId: suite.world.auditorA2.id,
    });
    expect(after.opinions).toEqual([]);
    expect(await opinionRows(reassigned)).toEqual(signed);
    expect((await voidRows(reassigned)).map((v) => v.opinionId)).toEqual(signed.map((o) => o.id));
    // A void is final: the case view and the registry builder read the same void rows.
    expect(expectOk(await suite.driver.get(suite.world.regulator.http, reassigned)).opinions).toEqual([]);
  });

  it('covers a table a later migration makes append-only at the next migrate, with no default privileges to keep', async () => {
    const table = `roles_probe_${randomBytes(4).toString('hex')}`;
    await owner.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
    try {
      await makeAppendOnly(owner, table);
      await owner.query(`INSERT INTO ${table} VALUES (1)`);
      expect(await migrateDatabase(suite.stack.config.DATABASE_URL, MIGRATIONS, { appRole: appDatabaseRole(suite.stack.config) })).toEqual([]);

      expect((await app.query(`SELECT id FROM ${table}`)).rows).toEqual([{ id: 1 }]);
      await app.query(`INSERT INTO ${table} VALUES (2)`);
      expect((await attempt(app, `UPDATE ${table} SET id = 3`))?.message).toMatch(/^permission denied/);
      expect((await attempt(owner, `DELETE FROM ${table}`))?.message).toBe(`${table} is append-only: DELETE refused`);
    } finally {
      await owner.query(`DROP TABLE ${table}`);
    }
  });

  it('migrates with an owner that is no superuser, only CREATEROLE and owner of its database, as a first run and again', async () => {
    const tag = randomBytes(4).toString('hex');
    const [ownerRole, appRole, database] = [`clearance_owner_${tag}`, `clearance_app_${tag}`, `clearance_roles_${tag}`];
    const at = (user: string, password = '') => {
      const url = new URL(suite.stack.config.DATABASE_URL);
      [url.username, url.password, url.pathname] = [user, password, `/${database}`];
      return url.toString();
    };
    await owner.query(`CREATE ROLE ${ownerRole} LOGIN CREATEROLE`);
    await owner.query(`CREATE DATABASE ${database} OWNER ${ownerRole}`);
    try {
      expect(await migrateDatabase(at(ownerRole), MIGRATIONS, { appRole: { name: appRole, password: 'first' } })).toHaveLength(MIGRATIONS.length);
      // The second run takes the ALTER ROLE path, naming no attribute a non-superuser may not.
      expect(await migrateDatabase(at(ownerRole), MIGRATIONS, { appRole: { name: appRole, password: 'second' } })).toEqual([]);
      const asApp = new pg.Client({ connectionString: at(appRole, 'second') });
      await asApp.connect();
      try {
        await asApp.query(`INSERT INTO organisations (name, kind) VALUES ('probe', 'developer')`);
        expect((await attempt(asApp, 'UPDATE revisions SET tier = tier'))?.message).toMatch(/^permission denied/);
      } finally {
        await asApp.end();
      }
    } finally {
      await owner.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await owner.query(`DROP ROLE IF EXISTS ${appRole}`);
      await owner.query(`DROP ROLE IF EXISTS ${ownerRole}`);
    }
  });

  it('creates the role once when several migrations race for it (roles are cluster-wide)', async () => {
    const name = `clearance_race_${randomBytes(4).toString('hex')}`;
    const clients = Array.from({ length: 4 }, () => new pg.Client({ connectionString: suite.stack.config.DATABASE_URL }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      await Promise.all(clients.map((c) => ensureAppRole(c, { name, password: 'not-checked-under-trust' })));
      const { rows } = await owner.query('SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = $1', [name]);
      expect(rows).toEqual([{ rolcanlogin: true, rolsuper: false }]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
      await owner.query(`DROP ROLE IF EXISTS ${name}`);
    }
  });
});
