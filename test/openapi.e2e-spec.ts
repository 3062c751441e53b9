import { beforeAll, describe, expect, it } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import type { z } from 'zod';
import { AppModule } from '../apps/api/src/app.module.js';
import { caseViewSchema, casePageSchema, chainVerificationSchema, historyPageSchema, auditorsSchema, queueSummarySchema } from '../apps/api/src/cases/dto/case.responses.js';
import { meSchema } from '../apps/api/src/me/dto/me.responses.js';
import { notificationPageSchema, webhookListSchema } from '../apps/api/src/notifications/dto/notifications.responses.js';
import { buildOpenApiDocument } from '../apps/api/src/openapi.js';
import { policyPackListSchema } from '../apps/api/src/policy-packs/dto/policy-packs.responses.js';
import { publicKeysSchema, registryPageSchema } from '../apps/api/src/registry/dto/registry.responses.js';
import { statsSchema } from '../apps/api/src/stats/dto/stats.responses.js';
import { workflowSchema } from '../apps/api/src/workflow/dto/workflow.responses.js';
import { healthSchema } from '../apps/api/src/health/dto/health.responses.js';
import { expectOk } from './support/case-driver.js';
import { testConfig } from './support/stack.js';
import { useSuite } from './support/suite.js';

/**
 * SPEC.md's HTTP API table, as OpenAPI paths. Left out:
 * `/admin/queues` (the BullMQ dashboard, an Express app outside the OpenAPI document).
 */
const SPEC_ROUTES = [
  'get /health',
  'get /metrics',
  'post /v1/admin/organisations',
  'post /v1/admin/users',
  'post /v1/admin/users/{id}/tokens',
  'get /v1/admin/users/{id}/tokens',
  'delete /v1/admin/tokens/{id}',
  'post /v1/admin/conflicts',
  'post /v1/admin/policy-packs',
  'get /v1/admin/webhook-deliveries',
  'post /v1/admin/webhook-deliveries/{id}/redeliver',
  'get /v1/me',
  'get /v1/me/tokens',
  'post /v1/me/tokens',
  'delete /v1/me/tokens/{id}',
  'get /v1/operator-log',
  'get /v1/operator-log/verify',
  'post /v1/cases',
  'get /v1/cases/{id}',
  'put /v1/cases/{id}/assessment',
  'patch /v1/cases/{id}/model',
  'post /v1/cases/{id}/evidence',
  'get /v1/cases/{id}/evidence/{evidenceId}',
  'post /v1/cases/{id}/events',
  'get /v1/cases/{id}/history',
  'get /v1/cases/{id}/history/verify',
  'get /v1/cases',
  'get /v1/auditors',
  'get /v1/stats',
  'get /v1/queues',
  'get /v1/queues/{name}',
  'get /v1/policy-packs',
  'get /v1/policy-packs/{id}/versions/{version}',
  'get /v1/workflow',
  'get /v1/notifications',
  'post /v1/notifications/{id}/read',
  'post /v1/webhooks',
  'get /v1/webhooks',
  'delete /v1/webhooks/{id}',
  'get /v1/public/registry',
  'get /v1/public/registry/{id}',
  'get /v1/public/keys',
];

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
  tags?: Array<{ name: string; description?: string }>;
  security?: Array<Record<string, string[]>>;
  servers?: Array<{ url: string }>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Parses a real response with the schema the document was made from, and checks it has exactly the declared top-level keys. */
const conforms = (schema: z.ZodType, body: unknown) => {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  if (shape && body && typeof body === 'object' && !Array.isArray(body)) {
    const declared = Object.keys(shape);
    for (const key of Object.keys(body)) expect(declared).toContain(key);
  }
};

describe('the OpenAPI document at /docs-json', () => {
  let document: Document;

  const suite = useSuite();
  beforeAll(async () => {
    document = expectOk(await suite.stack.http.offSchema('GET', '/docs-json')) as Document;
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ route: `${method} ${path}`, operation })),
    );

  it('lists every route of SPEC.md’s HTTP API table with its method', () => {
    const routes = operations().map((o) => o.route);
    expect(routes).toEqual(expect.arrayContaining(SPEC_ROUTES));
  });

  it('declares for every route a 2xx response with a schema (or 204), and a stable operationId', () => {
    const ids = new Set<string>();
    for (const { route, operation } of operations()) {
      const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      const described = success.some(
        ([status, response]) => status === '204' || Object.values(response.content ?? {}).some((media) => media.schema !== undefined),
      );
      expect({ route, described }).toEqual({ route, described: true });
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(operation.operationId!)).toBe(false);
      ids.add(operation.operationId!);
    }
    expect(document.paths['/v1/cases/{id}']!.get!.operationId).toBe('getCase');
    expect(document.paths['/v1/cases/{id}/events']!.post!.operationId).toBe('fireEvent');
    expect(document.paths['/v1/stats']!.get!.operationId).toBe('getStats');
  });

  it('declares problem+json errors on authenticated routes, and every $ref resolves', () => {
    for (const { route, operation } of operations()) {
      if (route === 'get /health' || route === 'get /metrics' || route.startsWith('get /v1/public/')) continue;
      const unauthenticated = operation.responses['401'];
      expect({ route, problem: Boolean(unauthenticated?.content?.['application/problem+json']?.schema) }).toEqual({ route, problem: true });
    }
    const refs = JSON.stringify(document).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(document.components?.schemas).toHaveProperty(ref.slice('"#/components/schemas/'.length, -1));
    const listCases = document.paths['/v1/cases']!.get!;
    expect(listCases.parameters!.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['state', 'tier', 'developerOrganisationId', 'overdue', 'sort', 'limit', 'cursor']),
    );
  });

  it('gives every operation a summary, a description and a declared tag (what docs/api.md is generated from)', () => {
    const declared = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description ?? '']));
    for (const [name, description] of declared) expect({ name, described: description.length > 0 }).toEqual({ name, described: true });
    expect(document.servers?.length).toBeGreaterThan(0);
    for (const { route, operation } of operations()) {
      expect({ route, summary: Boolean(operation.summary?.trim()), description: Boolean(operation.description?.trim()) }).toEqual({
        route,
        summary: true,
        description: true,
      });
      expect({ route, tags: operation.tags?.filter((tag) => !declared.has(tag)) }).toEqual({ route, tags: [] });
    }
  });

  it('says `security: []` on exactly the routes that answer without a token, and requires the bearer token everywhere else', async () => {
    expect(document.security).toEqual([{ bearer: [] }]);
    const anonymous = suite.stack.http.as(undefined);
    // Path parameters a route accepts, so a public route gets past routing (a UUID nobody holds is 404, not 401).
    const sample: Record<string, string> = { name: 'in_audit', version: '1' };
    const send = {
      // Every documented route, its path filled in at run time: typed per route elsewhere, here only the status is read.
      get: (url: string) => anonymous.offSchema('GET', url),
      put: (url: string) => anonymous.offSchema('PUT', url),
      post: (url: string) => anonymous.offSchema('POST', url),
      delete: (url: string) => anonymous.offSchema('DELETE', url),
      patch: (url: string) => anonymous.offSchema('PATCH', url),
    };
    const publicRoutes: string[] = [];
    for (const { route, operation } of operations()) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => sample[name] ?? '00000000-0000-4000-8000-000000000000');
      const response = await send[method as keyof typeof send](url);
      const needsToken = (operation.security ?? document.security ?? []).length > 0;
      expect({ route, needsToken, status: response.status === 401 ? 401 : 'not 401' }).toEqual({ route, needsToken, status: needsToken ? 401 : 'not 401' });
      if (!needsToken) publicRoutes.push(route);
    }
    expect(publicRoutes).toEqual(
      expect.arrayContaining(['get /health', 'get /v1/public/registry', 'get /v1/public/registry/{id}', 'get /v1/public/keys']),
    );
  });

  it('is what an app in preview mode, connected to nothing, builds (what `npm run client:generate` writes)', async () => {
    const preview = await NestFactory.create(AppModule.forRoot(testConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', REDIS_URL: 'redis://127.0.0.1:9' })), {
      preview: true,
      logger: false,
      abortOnError: false,
    });
    try {
      expect(JSON.parse(JSON.stringify(buildOpenApiDocument(preview)))).toEqual(document);
    } finally {
      await preview.close();
    }
  });

  it('describes what the routes really answer', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'ADD_FINDING', { severity: 'minor', title: 'typo', detail: 'in the card', component: 'model_card' });
    await suite.driver.approve(suite.world.auditorA, caseId, { opinion: 'qualified', basis: 'fine', conditions: [{ text: 'keep the card', component: 'model_card', maxRelease: 'open' }] });
    const dev = suite.world.developer.http;
    const regulator = suite.world.regulator.http;

    conforms(caseViewSchema, expectOk(await dev.get(`/v1/cases/${caseId}`)));
    conforms(casePageSchema, expectOk(await dev.get('/v1/cases?limit=5')));
    conforms(historyPageSchema, expectOk(await dev.get(`/v1/cases/${caseId}/history`)));
    conforms(chainVerificationSchema, expectOk(await dev.get(`/v1/cases/${caseId}/history/verify`)));
    conforms(auditorsSchema, expectOk(await regulator.get(`/v1/auditors?caseId=${caseId}`)));
    conforms(queueSummarySchema, expectOk(await regulator.get('/v1/queues')));
    conforms(casePageSchema, expectOk(await regulator.get('/v1/queues/in_audit')));
    conforms(statsSchema, expectOk(await regulator.get('/v1/stats')));
    conforms(meSchema, expectOk(await dev.get('/v1/me')));
    conforms(meSchema, expectOk(await suite.world.admin.get('/v1/me')));
    conforms(notificationPageSchema, expectOk(await dev.get('/v1/notifications')));
    conforms(webhookListSchema, expectOk(await dev.get('/v1/webhooks')));
    conforms(workflowSchema, expectOk(await dev.get('/v1/workflow')));
    conforms(policyPackListSchema, expectOk(await dev.get('/v1/policy-packs')));
    conforms(healthSchema, expectOk(await suite.stack.http.get('/health')));
    conforms(registryPageSchema, expectOk(await suite.stack.http.get('/v1/public/registry?limit=5')));
    conforms(publicKeysSchema, expectOk(await suite.stack.http.get('/v1/public/keys')));
  });
});
