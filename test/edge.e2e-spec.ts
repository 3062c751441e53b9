import { beforeAll, describe, expect, it } from '@jest/globals';
import { expectProblem as problemOf, outcomeOf, type AnyResponse, type Problem } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

/** The refusal's problem body, after checking its status and type (and that it is problem+json). */
const expectProblem = (response: AnyResponse, status: number, slug: string): Problem => {
  expect(outcomeOf(response)).toBe(`${status} /problems/${slug}`);
  return problemOf(response, status);
};

// Looks like an id to a loose check, but is not a UUID Postgres accepts.
const NOT_A_UUID = '------------------------------------';
const MISSING = '0b6c2f0e-6a57-4f7e-9f49-0c1a8d8f3a21';

describe('edge: one parser, one id check, one paginator on every route', () => {
  let caseId: string;

  const suite = useSuite({ worker: false });
  beforeAll(async () => {
    caseId = await suite.driver.create();
  });

  it('answers 404, never 500, for a path id that is not a UUID, on every route that takes one', async () => {
    const { developer, admin } = suite.world;
    const refusals = [
      await developer.http.get(`/v1/cases/${caseId}/evidence/${NOT_A_UUID}`),
      await developer.http.get(`/v1/cases/${NOT_A_UUID}`),
      await developer.http.post(`/v1/notifications/${NOT_A_UUID}/read`),
      await developer.http.delete(`/v1/webhooks/${NOT_A_UUID}`),
      await developer.http.get(`/v1/public/registry/${NOT_A_UUID}`),
      await admin.post(`/v1/admin/users/${NOT_A_UUID}/tokens`),
      await admin.delete(`/v1/admin/tokens/${NOT_A_UUID}`),
      await admin.post(`/v1/admin/webhook-deliveries/${NOT_A_UUID}/redeliver`),
    ];
    for (const response of refusals) expectProblem(response, 404, 'not-found');
    expectProblem(await developer.http.get(`/v1/cases/${caseId}/evidence/${MISSING}`), 404, 'not-found');
  });

  it('refuses strings holding U+0000 or a lone surrogate in admin and webhook bodies with 400 validation', async () => {
    const { developer, admin } = suite.world;
    const organisation = await admin.raw('POST', '/v1/admin/organisations', '{"name": "nul\\u0000org", "kind": "developer"}', {
      'content-type': 'application/json',
    });
    expect(expectProblem(organisation, 400, 'validation').errors).toEqual([{ path: '$.name', message: expect.any(String) }]);
    const webhook = await developer.http.raw('POST', '/v1/webhooks', '{"url": "https://example.org/\\ud800"}', { 'content-type': 'application/json' });
    expect(expectProblem(webhook, 400, 'validation').errors).toEqual([{ path: '$.url', message: expect.any(String) }]);
  });

  it('pages a list to its end with a cursor bound to its query', async () => {
    const { developer } = suite.world;
    await suite.driver.create();
    await suite.driver.create();
    const all = expectOk(await developer.http.get('/v1/cases?limit=200'));
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = expectOk(await developer.http.get(`/v1/cases?limit=2${query}`));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item: { id: string }) => item.id));
      if (page.nextCursor && !cursor) expectProblem(await developer.http.get(`/v1/cases?limit=2&state=draft&cursor=${encodeURIComponent(page.nextCursor)}`), 400, 'validation');
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((item: { id: string }) => item.id));
    expectProblem(await developer.http.get('/v1/notifications?limit=0'), 400, 'validation');
  });
});
