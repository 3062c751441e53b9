import { DataSource, type MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/** One DataSource per process; schema changes come only from migrations. */
export const createDataSource = (databaseUrl: string, migrations: MigrationClass[] = [], poolSize = 20): DataSource =>
  new DataSource({
    type: 'postgres',
    url: databaseUrl,
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    migrations,
    logging: false,
    extra: { max: poolSize },
  });

/** The URL with `application_name` set (unless it names one), so `pg_stat_activity` tells the processes apart. */
export const withApplicationName = (databaseUrl: string, applicationName: string): string => {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('application_name')) url.searchParams.set('application_name', applicationName);
  return url.toString();
};
