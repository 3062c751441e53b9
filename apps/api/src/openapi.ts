import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { componentSchemas } from './common/openapi.decorators.js';

/**
 * The OpenAPI document of the api: served at /docs-json and, via scripts/openapi.ts,
 * the source of apps/web's generated client. It reads only route metadata, so an app
 * created with `preview: true` (nothing instantiated, no Postgres or Redis) is enough.
 */
export const buildOpenApiDocument = (app: INestApplication): OpenAPIObject => {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Clearance')
      .setDescription('Release assurance for AI models: assessments, independent audits, regulator queues and a verifiable registry.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    {
      // Routes name themselves with @ApiOperation({ operationId }); this is the fallback.
      operationIdFactory: (controllerKey: string, methodKey: string) =>
        `${controllerKey.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}${methodKey.replace(/^./, (c) => c.toUpperCase())}`,
    },
  );
  // Named response schemas (see `named`), listed once and referred to by the routes.
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...componentSchemas() } };
  return document;
};
