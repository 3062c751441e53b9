import { appDatabaseRole, loadConfigOrExit } from '@app/config';
import { migrateDatabase } from '@app/persistence';
import { MIGRATIONS } from './index.js';

/**
 * `npm run migrate`, as the DATABASE_URL user: creates the database if needed, applies pending
 * migrations under an advisory lock, then creates or updates DATABASE_APP_ROLE and WITNESS_DATABASE_ROLE and their privileges
 * (the witness role from WITNESS_DATABASE_ROLE and WITNESS_DATABASE_PASSWORD).
 */
const config = loadConfigOrExit();
const applied = await migrateDatabase(config.DATABASE_URL, MIGRATIONS, {
  appRole: appDatabaseRole(config),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(applied.length ? `migrations applied: ${applied.length}\n` : 'database is up to date\n');
