import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { revisionHash } from '@app/integrity';
import { currentTestEnvironment, expectProblem, lowTierAssessment, settlesWithin, waitFor } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import type { HttpClient } from './support/http-client.js';
import { useSuite } from './support/suite.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);

const upload = (http: HttpClient, caseId: string, bytes: Uint8Array, type: string, filename: string, headers: Record<string, string> = {}) => {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), filename);
  return http.raw('POST', `/v1/cases/${caseId}/evidence`, form, headers);
};

const download = async (http: HttpClient, caseId: string, evidenceId: string) => {
  const response = await http.bytes(`/v1/cases/${caseId}/evidence/${evidenceId}`);
  return { status: response.status, type: response.headers.get('content-type'), bytes: response.bytes };
};

describe('evidence: uploads, checks, downloads and the revision hash', () => {
  const suite = useSuite();

  it('stores an upload and answers 201 {id, sha256, size, mediaType}; the download returns the same bytes', async () => {
    const caseId = await suite.driver.create();
    const text = new TextEncoder().encode('uplift trial protocol — ✓ 40 participants\n');
    const response = await upload(suite.world.developer.http, caseId, text, 'text/plain', 'protocol.txt');
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), sha256: sha256(text), size: text.length, mediaType: 'text/plain' });

    const png = await upload(suite.world.developer.http, caseId, PNG, 'image/png', 'chart.png');
    expect(png.status).toBe(201);
    expect(png.body).toMatchObject({ sha256: sha256(PNG), size: PNG.length, mediaType: 'image/png' });

    const back = await download(suite.world.developer.http, caseId, expectOk(png).id);
    expect(back.status).toBe(200);
    expect(back.type).toMatch(/^image\/png/);
    expect(Buffer.from(back.bytes).equals(Buffer.from(PNG))).toBe(true);
    const backText = await download(suite.world.regulator.http, caseId, expectOk(response).id);
    expect(sha256(backText.bytes)).toBe(sha256(text));
    expect((await download(suite.world.otherDeveloper.http, caseId, expectOk(png).id)).status).toBe(404);
  });

  it('reads 8 uploads of one caller at once: a ninth is 429 too-many-requests with Retry-After while another caller is served', async () => {
    const caseId = await suite.driver.create();
    const inFlight = async () => {
      const response = await fetch(`${suite.stack.baseUrl}/metrics`, { headers: { authorization: `Bearer ${currentTestEnvironment().adminToken}` } });
      return Number(/^clearance_uploads_in_flight (\d+)$/m.exec(await response.text())?.[1]);
    };
    /** An upload whose body stops half way until `finish`: it holds its slot until then. */
    const slowUpload = (token: string, name: string) => {
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const boundary = `slow-${name}`;
      const bytes = (text: string) => new TextEncoder().encode(text);
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(bytes(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}.txt"\r\nContent-Type: text/plain\r\n\r\nthe first half, `));
          await finished;
          controller.enqueue(bytes(`then the second\r\n--${boundary}--\r\n`));
          controller.close();
        },
      });
      const aborting = new AbortController();
      const answer = fetch(`${suite.stack.baseUrl}/v1/cases/${caseId}/evidence`, {
        method: 'POST',
        signal: aborting.signal,
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: 'half',
      } as RequestInit);
      return { answer, finish, abort: () => aborting.abort() };
    };
    const { developer, developerColleague } = suite.world;
    const slow = Array.from({ length: 8 }, (_, i) => slowUpload(developer.token, `slow-${i}`));
    await waitFor(inFlight, (n) => n === 8, { what: 'eight uploads in flight' });

    const ninth = await upload(developer.http, caseId, new TextEncoder().encode('a ninth'), 'text/plain', 'ninth.txt');
    expectProblem(ninth, 429, 'too-many-requests');
    expect(ninth.headers.get('retry-after')).toBe('2');
    expect((await upload(developerColleague.http, caseId, new TextEncoder().encode('a colleague'), 'text/plain', 'colleague.txt')).status).toBe(201);

    for (const { finish } of slow) finish();
    for (const { answer } of slow) expect((await answer).status).toBe(201);
    expect(await inFlight()).toBe(0);

    // An upload whose client goes away half way gives its slot back.
    const abandoned = slowUpload(developer.token, 'abandoned');
    await waitFor(inFlight, (n) => n === 1, { what: 'the abandoned upload in flight' });
    abandoned.abort();
    await expect(abandoned.answer).rejects.toThrow();
    await waitFor(inFlight, (n) => n === 0, { what: 'the abandoned upload to give its slot back' });
    expect((await upload(developer.http, caseId, new TextEncoder().encode('a ninth, later'), 'text/plain', 'ninth.txt')).status).toBe(201);
  });

  it('answers 408 and closes an upload whose body stops coming, and gives its slot back', async () => {
    const caseId = await suite.driver.create();
    const { port } = new URL(suite.stack.baseUrl);
    const boundary = 'trickle';
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const started = Date.now();
    // Headers promising a 1 MiB body, the part's own headers, then nothing more.
    socket.write(
      [
        `POST /v1/cases/${caseId}/evidence HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        `Authorization: Bearer ${suite.world.developer.token}`,
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        `Content-Length: ${1024 * 1024}`,
        '',
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\nContent-Type: text/plain\r\n\r\nthe start`,
      ].join('\r\n'),
    );
    // The 10 s grace, then at most one check's second, and some room for a busy machine.
    try {
      await settlesWithin(closed, 15_000);
    } finally {
      socket.destroy();
    }
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    const head = answer.slice(0, answer.indexOf('\r\n\r\n')).toLowerCase();
    // An answer like any other: problem+json, with the security headers every response carries.
    expect(head).toContain('content-type: application/problem+json');
    expect(head).toContain('x-content-type-options: nosniff');
    expect(head).toMatch(/content-security-policy: .*frame-ancestors 'none'/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: '/problems/request-timeout', status: 408 });
    const inFlight = async () => {
      const response = await fetch(`${suite.stack.baseUrl}/metrics`, { headers: { authorization: `Bearer ${currentTestEnvironment().adminToken}` } });
      return Number(/^clearance_uploads_in_flight (\d+)$/m.exec(await response.text())?.[1]);
    };
    await waitFor(inFlight, (n) => n === 0, { what: 'the slot to be given back' });
    // Nothing was stored, and the case takes the next upload.
    expect((await upload(suite.world.developer.http, caseId, new TextEncoder().encode('on time'), 'text/plain', 'on-time.txt')).status).toBe(201);
  }, 30_000);

  it('counts a download its client does not read as an answer queued for a reader (the api watches its connections)', async () => {
    const caseId = await suite.driver.create();
    // Far more than loopback's socket buffers take, so most of it stays queued in the api.
    const large = new Uint8Array(24 * 1024 * 1024).fill(0x61);
    const stored = expectOk(await upload(suite.world.developer.http, caseId, large, 'text/plain', 'large.txt'));
    const queued = async () => {
      const response = await fetch(`${suite.stack.baseUrl}/metrics`, { headers: { authorization: `Bearer ${currentTestEnvironment().adminToken}` } });
      return Number(/^clearance_answers_queued_bytes (\d+)$/m.exec(await response.text())?.[1]);
    };
    expect(await queued()).toBe(0);
    const { port } = new URL(suite.stack.baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    try {
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.pause();
      socket.write(
        [`GET /v1/cases/${caseId}/evidence/${stored.id} HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Authorization: Bearer ${suite.world.developer.token}`, '', ''].join('\r\n'),
      );
      await waitFor(queued, (bytes) => bytes > 8 * 1024 * 1024, { what: 'the unread download queued in the api' });
    } finally {
      socket.destroy();
    }
    await waitFor(queued, (bytes) => bytes === 0, { what: 'the queue to empty once the client is gone' });
  });

  it('answers 415 to a file that is not what it claims, or not UTF-8 text, or not JSON', async () => {
    const caseId = await suite.driver.create();
    const notPng = await upload(suite.world.developer.http, caseId, new TextEncoder().encode('not a png at all'), 'image/png', 'fake.png');
    expect(notPng.status).toBe(415);
    expect(notPng.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(notPng.body).toMatchObject({ type: '/problems/unsupported-media-type', status: 415 });

    const badUtf8 = await upload(suite.world.developer.http, caseId, new Uint8Array([0x68, 0x69, 0xff, 0xfe, 0xc3, 0x28]), 'text/plain', 'notes.txt');
    expect(badUtf8.status).toBe(415);
    expect(expectProblem(badUtf8, 415).type).toBe('/problems/unsupported-media-type');

    const badJson = await upload(suite.world.developer.http, caseId, new TextEncoder().encode('{"open": '), 'application/json', 'results.json');
    expect(badJson.status).toBe(415);

    // Any other type is accepted, stored and served as application/octet-stream (test/input-edges).
    const exe = await upload(suite.world.developer.http, caseId, new Uint8Array([0x4d, 0x5a, 0x90, 0]), 'application/x-msdownload', 'tool.exe');
    expect(exe.body).toMatchObject({ mediaType: 'application/octet-stream' });
  });

  it('answers 413 to a file over 25 MiB, and 400 when there is no file part', async () => {
    const caseId = await suite.driver.create();
    const big = new Uint8Array(25 * 1024 * 1024 + 1).fill(0x61);
    const response = await upload(suite.world.developer.http, caseId, big, 'text/plain', 'big.txt');
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ type: '/problems/payload-too-large', status: 413 });

    const form = new FormData();
    form.append('notes', 'no file here');
    const none = await suite.world.developer.http.raw('POST', `/v1/cases/${caseId}/evidence`, form);
    expect(none.status).toBe(400);
  });

  it('accepts uploads only from the developer, in draft or changes_requested', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const bytes = new TextEncoder().encode('late evidence');
    expect((await upload(suite.world.auditorA.http, caseId, bytes, 'text/plain', 'a.txt')).status).toBe(403);
    expect((await upload(suite.world.otherDeveloper.http, caseId, bytes, 'text/plain', 'a.txt')).status).toBe(404);
    const late = await upload(suite.world.developer.http, caseId, bytes, 'text/plain', 'a.txt');
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ type: '/problems/invalid-transition', state: 'in_audit' });
  });

  it('hashes the evidence an evaluation names into the revision hash', async () => {
    const caseId = await suite.driver.inAudit([suite.world.auditorA]);
    const first = expectOk(await suite.driver.get(suite.world.developer.http, caseId));
    expect(first.revisionHash).toBe(revisionHash(first.assessment, []));

    await suite.driver.fireOk(suite.world.auditorA, caseId, 'REQUEST_CHANGES', { summary: 'attach the red-team report' });
    const report = new TextEncoder().encode('# Red-team report\n\nNo uplift found.\n');
    const uploaded = expectOk(await upload(suite.world.developer.http, caseId, report, 'text/markdown', 'report.md'));
    const withEvidence = lowTierAssessment();
    (withEvidence.evaluations as Array<{ evidenceIds: string[] }>)[0]!.evidenceIds = [uploaded.id];
    expectOk(await suite.world.developer.http.put(`/v1/cases/${caseId}/assessment`, withEvidence));
    const second = await suite.driver.fireOk(suite.world.developer, caseId, 'RESUBMIT');
    expect(second.revision).toBe(2);
    expect(second.revisionHash).toBe(revisionHash(withEvidence, [uploaded.sha256]));
    expect(second.revisionHash).not.toBe(revisionHash(withEvidence, []));
    expect(second.revisionHash).not.toBe(first.revisionHash);
    await suite.driver.waitForState(caseId, ['in_audit']);

    // Same document, other evidence bytes under a new id: the evidence set changes, so does the hash.
    await suite.driver.fireOk(suite.world.auditorA, caseId, 'REQUEST_CHANGES', { summary: 'the report was a draft' });
    const final = new TextEncoder().encode('# Red-team report (final)\n\nNo uplift found.\n');
    const replaced = expectOk(await upload(suite.world.developer.http, caseId, final, 'text/markdown', 'report.md'));
    (withEvidence.evaluations as Array<{ evidenceIds: string[] }>)[0]!.evidenceIds = [uploaded.id, replaced.id];
    expectOk(await suite.world.developer.http.put(`/v1/cases/${caseId}/assessment`, withEvidence));
    const third = await suite.driver.fireOk(suite.world.developer, caseId, 'RESUBMIT');
    expect(third.revisionHash).toBe(revisionHash(withEvidence, [uploaded.sha256, replaced.sha256]));
  });

  it('refuses a SUBMIT naming evidence that is not on the case', async () => {
    const caseId = await suite.driver.create();
    const other = await suite.driver.create();
    const foreign = expectOk(await upload(suite.world.developer.http, other, new TextEncoder().encode('x'), 'text/plain', 'x.txt'));
    const assessment = lowTierAssessment();
    (assessment.evaluations as Array<{ evidenceIds: string[] }>)[1]!.evidenceIds = [foreign.id];
    expectOk(await suite.world.developer.http.put(`/v1/cases/${caseId}/assessment`, assessment));
    const submit = await suite.driver.fire(suite.world.developer, caseId, 'SUBMIT');
    expect(submit.status).toBe(400);
    expect(expectProblem(submit, 400).errors).toEqual([{ path: '$.evaluations[1].evidenceIds[0]', message: expect.any(String) }]);
  });
});
