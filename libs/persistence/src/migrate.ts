import pg from 'pg';
import type { MigrationInterface } from 'typeorm';
import { appDatabaseRole, parseConfig, parseWitnessConfig, witnessDatabaseRole } from '@app/config';
import { ensureAppRole, grantAppRole, type AppRole } from './app-role.util.js';
import { createDataSource } from './data-source.js';
import { grantWitnessRole } from './witness-role.util.js';
import { ADVISORY_LOCKS } from './sql.util.js';

type MigrationClass = new () => MigrationInterface;

const MIGRATION_LOCK_KEY = ADVISORY_LOCKS.migrations.toString();

/** Runs `work` on a connection to the cluster's `postgres` database (to create or drop another). */
const withMaintenanceConnection = async <T>(databaseUrl: string, work: (admin: pg.Client, database: string) => Promise<T>): Promise<T> => {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    return await work(admin, database);
  } finally {
    await admin.end();
  }
};

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Creates the database when missing; tolerates another process creating it first. */
export const ensureDatabase = (databaseUrl: string): Promise<void> =>
  withMaintenanceConnection(databaseUrl, async (admin, database) => {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${quoteIdentifier(database)}`).catch((error: { code?: string }) => {
        // 42P04 duplicate_database / 23505: a racing process created it first.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  });

/** Drops the database of `databaseUrl` if it exists, closing its connections (test and bench teardown). */
export const dropDatabase = (databaseUrl: string): Promise<void> =>
  withMaintenanceConnection(databaseUrl, async (admin, database) => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
  });

/** The role the services started with this environment connect as (they read the same variables). */
const defaultAppRole = (databaseUrl: string): AppRole =>
  appDatabaseRole(
    parseConfig({ DATABASE_URL: databaseUrl, DATABASE_APP_ROLE: process.env.DATABASE_APP_ROLE, DATABASE_APP_PASSWORD: process.env.DATABASE_APP_PASSWORD }),
  );

/** The witness's role, as `npm run start:witness` reads it (WITNESS_DATABASE_ROLE, WITNESS_DATABASE_PASSWORD). */
const defaultWitnessRole = (databaseUrl: string): AppRole =>
  witnessDatabaseRole(
    parseWitnessConfig({
      DATABASE_URL: databaseUrl,
      WITNESS_DATABASE_ROLE: process.env.WITNESS_DATABASE_ROLE,
      WITNESS_DATABASE_PASSWORD: process.env.WITNESS_DATABASE_PASSWORD,
    }),
  );

export interface MigrateOptions {
  /** The least-privilege login role to create or update and grant; default: as configured by the environment for this URL. */
  appRole?: AppRole;
  /** The witness's login role (its own schema only); default: as configured by the environment for this URL. */
  witnessRole?: AppRole;
  log?: (line: string) => void;
}

/**
 * Applies pending migrations as the DATABASE_URL user under one session advisory lock held on
 * its own connection for the whole run, so processes starting together are safe; then creates
 * or updates the app role and the witness role and sets their privileges (every run, so new tables are covered).
 */
export const migrateDatabase = async (
  databaseUrl: string,
  migrations: MigrationClass[],
  { appRole = defaultAppRole(databaseUrl), witnessRole = defaultWitnessRole(databaseUrl), log = () => {} }: MigrateOptions = {},
): Promise<string[]> => {
  await ensureDatabase(databaseUrl);
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const dataSource = createDataSource(databaseUrl, migrations, 2, false);
    await dataSource.initialize();
    let applied: string[];
    try {
      applied = (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
      for (const migration of applied) log(`applied ${migration}`);
    } finally {
      await dataSource.destroy();
    }
    await ensureAppRole(lock, appRole);
    await grantAppRole(lock, appRole);
    log(`app role ${appRole.name}: privileges set`);
    await ensureAppRole(lock, witnessRole);
    await grantWitnessRole(lock, witnessRole, appRole);
    log(`witness role ${witnessRole.name}: privileges set`);
    return applied;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
};
