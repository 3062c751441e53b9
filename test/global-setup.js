// One database and Redis prefix per test run (plain JS: jest loads global setup natively under ESM).
// The database is created and migrated by the first suite that needs it (test/support/stack.ts).
import { randomBytes } from 'node:crypto';

export default async function globalSetup() {
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const base = new URL(process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/clearance_test_${suffix}`;
  process.env.CLEARANCE_TEST_DATABASE_URL = base.toString();
  process.env.CLEARANCE_TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.CLEARANCE_TEST_REDIS_PREFIX = `clearance-test-${suffix}`;
  process.env.CLEARANCE_TEST_ADMIN_TOKEN = `test-admin-${randomBytes(16).toString('hex')}`;
}
