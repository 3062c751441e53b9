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
