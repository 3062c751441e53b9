import type { Server } from 'node:http';
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { TokenAuthenticator, TokenCache, tokenUsage } from '@app/auth';
import type { AppConfig } from '@app/config';
import { LINEAGE_MEDIA_TYPES, PolicyPackService } from '@app/cases';
import { parseQueryString } from '@app/http';
import { TokenRepository, whenReachable, withApplicationName } from '@app/persistence';
import { RegistryLogQuery } from '@app/registry';
import { JobQueues, OutboxWake } from '@app/queue';
import { AdminService } from './admin/admin.service.js';
import { AppModule } from './app.module.js';
import { rejectDeepJson } from './common/json-depth.middleware.js';
import { announceCommittedWrites } from './common/outbox-announcement.middleware.js';
import { JSON_MEDIA_TYPES } from './common/media-type.guard.js';
import { rejectUnservedMethods } from './common/method-not-allowed.middleware.js';
import { securityHeaders } from './common/security-headers.js';
import { SlowReaders, slowReaderBounds } from './common/slow-readers.js';
import { httpMetrics } from './observability/http-metrics.middleware.js';
import { TILE_ROUTE_PREFIX, servedFullTiles } from './registry/full-tile.middleware.js';
import { MetricsService } from './observability/metrics.service.js';
import { QUEUE_DASHBOARD_PATH, queueDashboard } from './observability/queue-dashboard.js';
import { buildOpenApiDocument } from './openapi.js';

export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Builds the api (not listening): used by main.ts, the e2e tests and the bench. */
export const createApi = async (config: AppConfig): Promise<NestExpressApplication> => {
  // Connects as DATABASE_APP_ROLE (config.DATABASE_APP_URL), named in pg_stat_activity.
  const databaseUrl = withApplicationName(config.DATABASE_APP_URL, 'clearance-api');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ ...config, DATABASE_APP_URL: databaseUrl }), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // An idle keep-alive socket stays open longer than clients and proxies keep theirs (fetch 4 s,
  // load balancers about 60 s): one that the api closed while a client reused it was a reset request.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  // A client that does not take its answer is let go: what it leaves queued is held in memory.
  app.get(SlowReaders).watch(server, slowReaderBounds(config));
  // Strict percent-decoding: a malformed or non-UTF-8 parameter is 400 by name, never silently U+FFFD.
  app.set('query parser', parseQueryString);
  // Behind the proxies TRUST_PROXY names, request.ip is the client X-Forwarded-For gives; else the socket peer.
  if (config.TRUST_PROXY !== null) app.set('trust proxy', config.TRUST_PROXY);
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  // Middleware runs in this order, before Nest's routes: headers on every answer, then 405, 413 and malformed before authentication.
  app.use(securityHeaders());
  app.use(httpMetrics(app.get(MetricsService)));
  app.use(announceCommittedWrites(app.get(OutboxWake)));
  app.use(TILE_ROUTE_PREFIX, servedFullTiles(app.get(RegistryLogQuery)));
  app.use(rejectUnservedMethods(app.getHttpAdapter().getInstance()));
  // SPEC.md: JSON bodies over 1 MiB are 413.
  app.useBodyParser('json', { limit: '1mb', strict: false, type: JSON_MEDIA_TYPES });
  // Model cards for a lineage import arrive as Markdown: bytes here, decoded as strict UTF-8 by the route.
  app.useBodyParser('raw', { limit: '1mb', type: LINEAGE_MEDIA_TYPES.modelCard });
  app.use(rejectDeepJson);
  app.use(tokenUsage(app.get(TokenRepository), app.get(TokenCache)));
  app.use(QUEUE_DASHBOARD_PATH, ...queueDashboard(app.get(JobQueues), app.get(TokenAuthenticator)));
  serveWebApp(app);

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });

  await whenReachable('publishing the shipped policy packs', () => app.get(PolicyPackService).publishShipped());
  await whenReachable('creating the admin token', () => app.get(AdminService).bootstrapAdmin(config.ADMIN_TOKEN, config.TOKEN_TTL_DAYS));
  return app;
};

/** Where `npm run build` puts the web app; processes run from the project root. */
export const WEB_APP_DIR = resolve(process.cwd(), 'apps/web/dist');
const API_PATHS = /^\/(v1|docs|docs-json|health|metrics|admin)(\/|$)/;

/** The web app's static files at `/`, and its index for any other page it routes itself. */
const serveWebApp = (app: NestExpressApplication): void => {
  if (!existsSync(join(WEB_APP_DIR, 'index.html'))) return;
  app.useStaticAssets(WEB_APP_DIR, { index: 'index.html', maxAge: '1h' });
  app.use((request: { method: string; path: string; headers: Record<string, string | undefined> }, response: { sendFile(path: string): void }, next: () => void) => {
    const wantsPage = request.method === 'GET' && !API_PATHS.test(request.path) && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage) response.sendFile(join(WEB_APP_DIR, 'index.html'));
    else next();
  });
};
