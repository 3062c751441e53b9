import { afterAll, describe, expect, it } from '@jest/globals';
import { ProblemError } from '@app/problems';
import { REPORT_RENDERER_DEFAULTS, ReportRenderer, reportProcessFile, type CaseReport, type ReportRendererOptions } from '@app/reports';
import { busyCaseReport } from '@app/testing';

const ALICE = 'alice';
const BOB = 'bob';
const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

/**
 * The api's report process, on the built process entry (`npm test` builds first): reports are drawn
 * beside the event loop, a burst past a caller's share or the queue is refused, and a report that
 * fails takes only itself down.
 */
describe('ReportRenderer', () => {
  const renderers: ReportRenderer[] = [];
  const renderer = (options: Partial<Omit<ReportRendererOptions, 'processFile'>> = {}) => {
    const made = new ReportRenderer({ processFile: reportProcessFile(), ...REPORT_RENDERER_DEFAULTS, ...options });
    renderers.push(made);
    return made;
  };
  afterAll(() => Promise.all(renderers.map((r) => r.close())));

  const report = () => busyCaseReport('Atlas', 'Acme AI');
  const withFindings = (count: number): CaseReport => {
    const busy = report();
    return { ...busy, findings: Array.from({ length: count }, (_, i) => ({ ...busy.findings[i % busy.findings.length] })) };
  };
  const refusal = (promise: Promise<Buffer>) => promise.then(() => 'drawn', (error: unknown) => error);

  it('draws a report in its own process: the event loop keeps turning while it draws', async () => {
    const reports = renderer();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      // A fresh process loads pdfkit and parses the DejaVu fonts first: several hundred ms of CPU, none of it here.
      expect(isPdf(await reports.render(busyCaseReport('Ελληνικό μοντέλο', 'Модель ИИ'), ALICE))).toBe(true);
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      clearInterval(ticker);
    }
  });

  it("refuses a caller past its share with 429 too-many-requests, not another caller, and takes the caller's next once one is answered", async () => {
    const reports = renderer({ perCaller: 2 });
    const first = reports.render(report(), ALICE);
    const second = reports.render(report(), ALICE);
    const refused = await refusal(reports.render(report(), ALICE));
    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused).toMatchObject({ status: 429, slug: 'too-many-requests', headers: { 'Retry-After': '2' } });
    const bobs = reports.render(report(), BOB);
    expect(reports.backlog).toBe(3);
    expect(isPdf(await first)).toBe(true);
    expect(isPdf(await reports.render(report(), ALICE))).toBe(true);
    for (const pdf of await Promise.all([second, bobs])) expect(isPdf(pdf)).toBe(true);
    expect(reports.backlog).toBe(0);
  });

  it('refuses a report past the shared queue with 503 reports-busy and Retry-After, and draws the ones it took', async () => {
    const reports = renderer({ maxWaiting: 1 });
    const drawing = reports.render(report(), ALICE);
    const waiting = reports.render(report(), BOB);
    expect(reports.backlog).toBe(2);
    const refused = await refusal(reports.render(report(), 'carol'));
    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused).toMatchObject({ status: 503, slug: 'reports-busy', headers: { 'Retry-After': '2' } });
    for (const pdf of await Promise.all([drawing, waiting])) expect(isPdf(pdf)).toBe(true);
    expect(reports.backlog).toBe(0);
  });

  it('fails a report that overruns its time alone, and draws the next in a new process', async () => {
    // 10,000 findings take many seconds to draw; a small report in a fresh process well under one.
    const reports = renderer({ timeoutMs: 3000 });
    const overrun = reports.render(withFindings(10_000), ALICE);
    const next = reports.render(report(), ALICE);
    await expect(overrun).rejects.toMatchObject({ status: 500, slug: 'report-failed', message: 'the model report took longer than 3000 ms to draw' });
    expect(isPdf(await next)).toBe(true);
  });

  it('fails a report that runs its process out of memory alone, naming it, and draws the next in a new process', async () => {
    // 24 MiB draws a small report; 20,000 findings need more within a second. In a worker thread,
    // V8 aborted the whole process two runs in six (this suite's, as it would the api).
    const reports = renderer({ maxHeapMb: 24 });
    for (let run = 0; run < 3; run++) {
      await expect(reports.render(withFindings(20_000), ALICE)).rejects.toMatchObject({
        status: 500,
        slug: 'report-failed',
        message: 'the report process ran out of memory drawing the model report',
        // V8's own report, kept from the process's standard error for the log.
        cause: expect.stringContaining('heap out of memory'),
      });
      expect(isPdf(await reports.render(report(), ALICE))).toBe(true);
    }
  });

  it('answers a report it cannot draw or send with its error, and draws the next', async () => {
    const reports = renderer();
    const broken = { ...report(), findings: null } as unknown as CaseReport;
    // The answer names what failed; the error's own text (this server's code) is the cause, logged, not answered.
    await expect(reports.render(broken, ALICE)).rejects.toMatchObject({
      status: 500,
      slug: 'report-failed',
      message: 'the model report could not be drawn',
      cause: expect.stringMatching(/^TypeError/),
    });
    const unsendable = { ...report(), findings: [() => 'a function'] } as unknown as CaseReport;
    await expect(reports.render(unsendable, ALICE)).rejects.toMatchObject({
      status: 500,
      slug: 'report-failed',
      message: 'the model report could not be sent to its process',
      cause: expect.objectContaining({ message: expect.stringMatching(/could not be cloned/) }),
    });
    expect(isPdf(await reports.render(report(), ALICE))).toBe(true);
    expect(reports.backlog).toBe(0);
  });

  it('refuses what waits when it is closed', async () => {
    const reports = renderer();
    const refusals = [reports.render(report(), ALICE), reports.render(report(), BOB)].map((p) => p.then(() => 'drawn', (error: Error) => error.message));
    await reports.close();
    const shutDown = 'the model report was not drawn: this server is shutting down; try again in 2 s';
    expect(await Promise.all(refusals)).toEqual([shutDown, shutDown]);
    await expect(reports.render(report(), ALICE)).rejects.toMatchObject({ status: 503, slug: 'unavailable', headers: { 'Retry-After': '2' } });
  });
});
