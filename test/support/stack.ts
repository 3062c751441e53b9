import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { appDatabaseRole, parseConfig, type AppConfig } from '@app/config';
import { MIGRATIONS } from '@app/migrations';
import { migrateDatabase } from '@app/persistence';
import { currentTestEnvironment } from '@app/testing';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { HttpClient } from './http-client.js';

/**
 * Each suite keeps its Redis keys under its own part of the run's prefix (jest loads this
 * module once per suite). Keys one suite leaves behind, such as the wrong-token count of an
 * address that every suite shares (127.0.0.1), must not answer another suite's requests.
 */
export const suiteRedisPrefix = `${currentTestEnvironment().redisPrefix}:suite-${randomUUID().slice(0, 8)}`;

export interface TestStack {
  config: AppConfig;
  baseUrl: string;
  http: HttpClient;
  api: NestExpressApplication;
  worker: INestApplicationContext | null;
  close(): Promise<void>;
}

export const testConfig = (overrides: Record<string, string> = {}): AppConfig => {
  const env = currentTestEnvironment();
  return parseConfig({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    REDIS_PREFIX: suiteRedisPrefix,
    ADMIN_TOKEN: env.adminToken,
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RELAY_INTERVAL_MS: '25',
    ...overrides,
  });
};

/** A real api on an ephemeral port, and (by default) a real worker, against the run's Postgres and Redis. */
export const startStack = async ({ worker = true, env = {} }: { worker?: boolean; env?: Record<string, string> } = {}): Promise<TestStack> => {
  const config = testConfig(env);
  // The first suite creates and migrates the run's database; later ones find it up to date.
  // api and worker then connect as the app role that migrate grants (config.DATABASE_APP_URL).
  await migrateDatabase(config.DATABASE_URL, MIGRATIONS, { appRole: appDatabaseRole(config) });
  const api = await createApi(config);
  await api.listen(0, '127.0.0.1');
  const address = api.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const workerApp = worker ? await createWorker(config) : null;
  // Closing twice would run the shutdown hooks twice: a second quit of an ended Redis connection
  // leaves ioredis's two-second disconnect timer behind, and jest waits on it.
  let closed: Promise<void> | undefined;
  return {
    config,
    baseUrl,
    http: new HttpClient(baseUrl),
    api,
    worker: workerApp,
    close() {
      closed ??= (async () => {
        await workerApp?.close();
        await api.close();
      })();
      return closed;
    },
  };
};
