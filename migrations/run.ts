import { loadConfigOrExit } from '@app/config';
import { migrateDatabase } from '@app/persistence';
import { MIGRATIONS } from './index.js';

/** `npm run migrate`: creates the database if needed and applies pending migrations under an advisory lock. */
const config = loadConfigOrExit();
const applied = await migrateDatabase(config.DATABASE_URL, MIGRATIONS, (line) => process.stdout.write(`${line}\n`));
process.stdout.write(applied.length ? `migrations applied: ${applied.length}\n` : 'database is up to date\n');
