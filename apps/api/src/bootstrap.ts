import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import { PolicyPackService } from '@app/cases';
import { UserRepository } from '@app/persistence';
import { JobQueues } from '@app/queue';
import { AdminService } from './admin/admin.service.js';
import { AppModule } from './app.module.js';
import { httpMetrics } from './observability/http-metrics.middleware.js';
import { MetricsService } from './observability/metrics.service.js';
import { QUEUE_DASHBOARD_PATH, queueDashboard } from './observability/queue-dashboard.js';

/** Builds the api (not listening): used by main.ts, the e2e tests and the bench. */
export const createApi = async (config: AppConfig): Promise<NestExpressApplication> => {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // SPEC.md: JSON bodies over 1 MiB are 413.
  app.useBodyParser('json', { limit: '1mb', strict: false });
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  app.use(httpMetrics(app.get(MetricsService)));
  app.use(QUEUE_DASHBOARD_PATH, ...queueDashboard(app.get(JobQueues), app.get(UserRepository)));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Clearance')
      .setDescription('Release assurance for AI models: assessments, independent audits, regulator queues and a verifiable registry.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  await app.get(PolicyPackService).publishShipped();
  await app.get(AdminService).bootstrapAdmin(config.ADMIN_TOKEN);
  return app;
};
