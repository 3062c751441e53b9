import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { componentSchemas, problemResponse } from './common/openapi.decorators.js';

const DESCRIPTION = [
  'Release assurance for AI models: a developer files a pre-release risk assessment with a release decision per model component,',
  'independent auditors review it, a regulator supervises every case, and completed audits go to a public registry anyone can verify.',
  '',
  '- **Authentication**: `Authorization: Bearer <token>` on every route except those marked with no security (health, metrics, the public registry).',
  '- **Errors**: RFC 9457 `application/problem+json` with `type` `/problems/<slug>`, `title`, `status` and `detail`; the first failing check answers.',
  '- **Concurrency**: a case answers with an `ETag` of its version; send `If-Match` to make a write conditional (409 `version-conflict` when stale).',
  '- **Retries**: an `Idempotency-Key` on a POST replays the first 2xx answer for 24 hours (422 when reused with another body).',
  '- **Lists**: `?limit=` (1–200, default 50) and the opaque `?cursor=` from the previous page\'s `nextCursor` (`null` on the last page).',
].join('\n');

/** The document's tags, in the order Swagger UI shows them. */
const TAGS: ReadonlyArray<readonly [string, string]> = [
  ['cases', 'A model version\'s release decision: the assessment, evidence, workflow events and hash-chained history. Developers, auditors and regulators, each seeing only the cases they may read.'],
  ['incidents', 'Serious incidents after release: reports on the pack\'s clocks, updates, the final report and the regulator\'s closing, each a row in the case\'s history.'],
  ['lineage', 'Regulators: a model version\'s ancestors and descendants at any depth, the links between them and their cases\' states.'],
  ['queues', 'Regulator work queues: one per non-final state, plus overdue and open incidents.'],
  ['stats', 'Regulator statistics: cases by state, time in state, deadline breaches.'],
  ['witness', 'Regulators: the alerts the public registry log\'s witness raised on a fork or a shrink of the log.'],
  ['workflow', 'The workflow machine itself: its states, events, transitions and diagram.'],
  ['policy-packs', 'Published policy packs: the rules a case is screened and signed off against.'],
  ['notifications', 'The caller\'s own inbox.'],
  ['webhooks', 'Signed webhook subscriptions of the caller\'s organisation (Standard Webhooks).'],
  ['me', 'The caller.'],
  ['admin', 'Operators: organisations, users, tokens, conflicts of interest, policy packs and webhook dead letters. Admins never read cases.'],
  ['operator-log', 'Every admin action, hash-chained like case history, for regulators to read and verify.'],
  ['public', 'The public registry: signed records and the keys to verify them. No token.'],
  ['health', 'Liveness (no token) and Prometheus metrics (the metrics token or an admin\'s) for operators.'],
];

/**
 * The OpenAPI document of the api: served at /docs-json and, via scripts/openapi.ts,
 * the source of apps/web's generated client. It reads only route metadata, so an app
 * created with `preview: true` (nothing instantiated, no Postgres or Redis) is enough.
 */
export const buildOpenApiDocument = (app: INestApplication): OpenAPIObject => {
  const builder = new DocumentBuilder()
    .setTitle('Clearance')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    // Relative: the api that serves this document is the server, wherever it is deployed.
    .addServer('/', 'the api serving this document')
    .addBearerAuth()
    // Every route needs a token unless it says `security: []` (PublicRoute), as the auth guard does.
    .addSecurityRequirements('bearer')
    // Any route can find the database stopped or restarting, or its server shutting down.
    .addGlobalResponse(problemResponse(503));
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(
    app,
    builder.build(),
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
