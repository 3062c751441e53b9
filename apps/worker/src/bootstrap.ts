import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import { PolicyPackService } from '@app/cases';
import { whenReachable, withApplicationName } from '@app/persistence';
import { WorkerModule } from './worker.module.js';

/** Starts the worker (no HTTP): outbox relay and job processors. */
export const createWorker = async (config: AppConfig): Promise<INestApplicationContext> => {
  // Connects as DATABASE_APP_ROLE (config.DATABASE_APP_URL), named in pg_stat_activity.
  const databaseUrl = withApplicationName(config.DATABASE_APP_URL, 'clearance-worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ ...config, DATABASE_APP_URL: databaseUrl }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await whenReachable('publishing the shipped policy packs', () => app.get(PolicyPackService).publishShipped());
  await app.init();
  return app;
};
