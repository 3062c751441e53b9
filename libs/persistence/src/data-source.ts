import { DataSource, type MigrationInterface } from 'typeorm';
import { NamedStatementClient } from './named-statement.client.js';
import { PoolClient } from './pool-client.js';

type MigrationClass = new () => MigrationInterface;

/**
 * One DataSource per process; schema changes come only from migrations. Its pool's connections
 * run repeated parameterized statements as named prepared statements (NamedStatementClient)
 * unless `namedStatements` is false (a pooler in transaction mode cannot keep them); either way
 * a connection whose session the server ended never throws (PoolClient).
 */
export const createDataSource = (databaseUrl: string, migrations: MigrationClass[] = [], poolSize = 20, namedStatements = true): DataSource =>
  new DataSource({
    type: 'postgres',
    url: databaseUrl,
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    migrations,
    logging: false,
    extra: { max: poolSize, Client: namedStatements ? NamedStatementClient : PoolClient },
  });

/** The URL with `application_name` set (unless it names one), so `pg_stat_activity` tells the processes apart. */
export const withApplicationName = (databaseUrl: string, applicationName: string): string => {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('application_name')) url.searchParams.set('application_name', applicationName);
  return url.toString();
};
