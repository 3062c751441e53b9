import { beforeAll, describe, expect, it } from '@jest/globals';
import { expectProblem, lowTierAssessment } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import type { HttpResponse } from './support/http-client.js';
import { useSuite } from './support/suite.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Checks the status, media type and RFC 9457 members; returns the problem. */
const refusal = (response: HttpResponse, status: number, slug: string) => {
  const problem = expectProblem(response, status);
  expect(problem).toEqual(expect.objectContaining({ type: `/problems/${slug}`, title: expect.any(String), status, detail: expect.any(String) }));
  return problem;
};

/** The sorted JSON paths of a 400 validation problem. */
const paths = (response: HttpResponse) => (expectProblem(response, 400).errors ?? []).map((e) => e.path).sort();

describe('errors: problem+json refusals that change nothing', () => {
  let caseId: string;

  const suite = useSuite();
  beforeAll(async () => {
    caseId = await suite.driver.inAudit([suite.world.auditorA]);
  });

  /** Sends a raw body as the assigned auditor and checks the case did not change. */
  const rawEvent = async (body: string | Uint8Array, headers: Record<string, string> = JSON_HEADERS) => {
    const before = expectOk(await suite.driver.get(suite.world.regulator.http, caseId));
    const historyBefore = (await suite.driver.history(caseId)).length;
    const response = await suite.world.auditorA.http.raw('POST', `/v1/cases/${caseId}/events`, body, headers);
    const after = expectOk(await suite.driver.get(suite.world.regulator.http, caseId));
    expect({ version: after.version, state: after.state, findings: after.findings.length }).toEqual({
      version: before.version,
      state: before.state,
      findings: before.findings.length,
    });
    expect(await suite.driver.history(caseId)).toHaveLength(historyBefore);
    return response;
  };

  it('answers 400 malformed to unparseable JSON', async () => {
    refusal(await rawEvent('{"type": "ADD_FINDING", '), 400, 'malformed');
    refusal(await rawEvent("{'type': 'REQUEST_INFO'}"), 400, 'malformed');
  });

  it('answers 400 validation at $.type to a missing or unknown event type', async () => {
    const unknown = await rawEvent(JSON.stringify({ type: 'LAUNCH', question: 'q' }));
    refusal(unknown, 400, 'validation');
    expect(expectProblem(unknown, 400).errors).toEqual([{ path: '$.type', message: expect.any(String) }]);
    const missing = await rawEvent(JSON.stringify({ question: 'q' }));
    refusal(missing, 400, 'validation');
    expect(paths(missing)).toEqual(['$.type']);
    refusal(await rawEvent(JSON.stringify([{ type: 'REQUEST_INFO' }])), 400, 'validation');
    refusal(await rawEvent('"REQUEST_INFO"'), 400, 'validation');
  });

  it('lists every wrong payload type by path', async () => {
    const response = await rawEvent(JSON.stringify({ type: 'ADD_FINDING', severity: 'catastrophic', title: 42, detail: ['x'], component: 'weights' }));
    refusal(response, 400, 'validation');
    expect(paths(response)).toEqual(['$.component', '$.detail', '$.severity', '$.title']);
    for (const error of expectProblem(response, 400).errors ?? []) expect(error).toEqual({ path: expect.any(String), message: expect.any(String) });

    const approve = await rawEvent(JSON.stringify({ type: 'APPROVE', revisionHash: 'abc', opinion: 'adverse', assurance: 'total', conditions: [{ text: '' }] }));
    refusal(approve, 400, 'validation');
    expect(paths(approve)).toEqual(expect.arrayContaining(['$.revisionHash', '$.opinion', '$.assurance', '$.conditions[0].text']));
  });

  it('refuses unknown fields', async () => {
    const response = await rawEvent(JSON.stringify({ type: 'REQUEST_INFO', question: 'q', urgent: true }));
    refusal(response, 400, 'validation');
    expect(JSON.stringify(expectProblem(response, 400).errors)).toMatch(/urgent/);
    const nested = await rawEvent(
      JSON.stringify({ type: 'RECORD_RELEASE', components: [{ component: 'model_card', release: 'open', location: 'https://x', mirror: 'y' }] }),
    );
    refusal(nested, 400, 'validation');
    expect(JSON.stringify(expectProblem(nested, 400).errors)).toMatch(/mirror/);
  });

  it('answers 413 payload-too-large to a JSON body over 1 MiB', async () => {
    const body = JSON.stringify({ type: 'REQUEST_INFO', question: 'x'.repeat(1024 * 1024 + 10) });
    refusal(await rawEvent(body), 413, 'payload-too-large');
  });

  it('refuses strings holding U+0000 or a lone surrogate, in values and keys', async () => {
    const nul = await rawEvent('{"type": "REQUEST_INFO", "question": "why\\u0000?"}');
    refusal(nul, 400, 'validation');
    expect(paths(nul)).toEqual(['$.question']);
    const surrogate = await rawEvent('{"type": "REQUEST_INFO", "question": "half \\ud83e pair"}');
    refusal(surrogate, 400, 'validation');
    refusal(await rawEvent('{"type": "REQUEST_INFO", "question": "q", "\\u0000": 1}'), 400, 'validation');
  });

  it('answers 409 version-conflict to an If-Match that is not the current ETag', async () => {
    for (const ifMatch of ['"0"', '"999999"', 'garbage', '*x']) {
      const response = await rawEvent(JSON.stringify({ type: 'REQUEST_INFO', question: 'q' }), { ...JSON_HEADERS, 'if-match': ifMatch });
      refusal(response, 409, 'version-conflict');
      expect(response.body).toMatchObject({ state: 'in_audit', allowedEvents: expect.arrayContaining(['REQUEST_INFO']) });
    }
  });

  it('answers 409 invalid-transition with state and allowedEvents to an event the state does not accept', async () => {
    const clear = await suite.world.regulator.http.post(`/v1/cases/${caseId}/events`, { type: 'CLEAR', note: 'n' });
    const problem = refusal(clear, 409, 'invalid-transition');
    expect(problem.state).toBe('in_audit');
    expect(problem.allowedEvents).toEqual(expect.arrayContaining(['REASSIGN_AUDITOR', 'FLAG']));
    expect(problem.allowedEvents).not.toContain('CLEAR');
  });

  it('lists every shape problem of an assessment PUT by JSON path, and keeps the document', async () => {
    const created = expectOk(await suite.world.developer.http.post('/v1/cases', { model: { name: `shape-${Date.now()}`, version: '1' } }));
    const response = await suite.world.developer.http.put(`/v1/cases/${created.id}/assessment`, {
      summary: 5,
      components: [
        { component: 'model_parameters', release: 'gated' },
        { component: 'inference_code', release: 'wide_open' },
        { component: 'inference_code', release: 'open' },
        { component: 'model_card', release: 'open', gating: { criteria: ['kyc'], approval: 'manual' } },
      ],
      evaluations: [{ domain: 'chem_bio', method: 'red_team', tier: 'extreme', summary: 's', evidenceIds: ['not-a-uuid'] }],
      colour: 'blue',
    });
    refusal(response, 400, 'validation');
    const reported = paths(response);
    for (const path of [
      '$.summary',
      '$.components[0].gating',
      '$.components[1].release',
      '$.components[2].component',
      '$.components[3].gating',
      '$.evaluations[0].tier',
    ])
      expect(reported).toContain(path);
    expect(JSON.stringify(expectProblem(response, 400).errors)).toMatch(/colour/);
    const after = expectOk(await suite.driver.get(suite.world.developer.http, created.id));
    expect(after.version).toBe(created.version);
    expect(after.assessment).toEqual(created.assessment);
  });

  it('accepts an incomplete draft but answers 400 to its SUBMIT, naming what is missing', async () => {
    const created = expectOk(await suite.world.developer.http.post('/v1/cases', { model: { name: `incomplete-${Date.now()}`, version: '1' } }));
    const partial = expectOk(await suite.world.developer.http.put(`/v1/cases/${created.id}/assessment`, { summary: 'work in progress' }));
    expect(partial.version).toBe(created.version + 1);
    const submit = await suite.driver.fire(suite.world.developer, created.id, 'SUBMIT');
    refusal(submit, 400, 'validation');
    expect(paths(submit)).toEqual(expect.arrayContaining(['$.intendedUse', '$.rationale']));
    const after = expectOk(await suite.driver.get(suite.world.developer.http, created.id));
    expect({ state: after.state, version: after.version, revision: after.revision }).toEqual({
      state: 'draft',
      version: partial.version,
      revision: 0,
    });
    expect(await suite.driver.history(created.id)).toEqual([]);
  });

  it('answers 400 to a SUBMIT that releases the weights without a checkpoint hash', async () => {
    const created = expectOk(await suite.world.developer.http.post('/v1/cases', { model: { name: `nocheckpoint-${Date.now()}`, version: '1' } }));
    expectOk(await suite.world.developer.http.put(`/v1/cases/${created.id}/assessment`, lowTierAssessment()));
    const submit = await suite.driver.fire(suite.world.developer, created.id, 'SUBMIT');
    refusal(submit, 400, 'validation');
    expect(paths(submit)).toEqual(['$.model.checkpointSha256']);
    const patched = expectOk(await suite.world.developer.http.patch(`/v1/cases/${created.id}/model`, { checkpointSha256: 'a'.repeat(64) }));
    expect(patched.model?.checkpointSha256).toBe('a'.repeat(64));
    expect((await suite.driver.fireOk(suite.world.developer, created.id, 'SUBMIT')).state).toBe('intake');
  });

  it('renders unknown routes and bad ids as problems too', async () => {
    refusal(await suite.world.developer.http.offSchema('GET', '/v1/nothing-here'), 404, 'not-found');
    refusal(await suite.world.developer.http.get('/v1/cases/123'), 404, 'not-found');
    refusal(await suite.world.developer.http.get('/v1/cases?limit=0'), 400, 'validation');
    refusal(await suite.world.developer.http.get('/v1/cases?colour=blue'), 400, 'validation');
  });
});
