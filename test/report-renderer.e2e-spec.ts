import { afterAll, describe, expect, it } from '@jest/globals';
import { ProblemError } from '@app/problems';
import { REPORT_RENDERER_DEFAULTS, ReportRenderer, reportThreadFile, type CaseReport, type ReportRendererOptions } from '@app/reports';
import { busyCaseReport } from '@app/testing';

/**
 * The api's report thread, on the built thread entry (`npm test` builds first): reports are drawn
 * beside the event loop, a burst past the queue is refused, and a report that fails takes only
 * itself down.
 */
describe('ReportRenderer', () => {
  const renderers: ReportRenderer[] = [];
  const renderer = (options: Partial<Omit<ReportRendererOptions, 'threadFile'>> = {}) => {
    const made = new ReportRenderer({ threadFile: reportThreadFile(), ...REPORT_RENDERER_DEFAULTS, ...options });
    renderers.push(made);
    return made;
  };
  afterAll(() => Promise.all(renderers.map((r) => r.close())));

  const withFindings = (count: number): CaseReport => {
    const report = busyCaseReport('Atlas', 'Acme AI');
    return { ...report, findings: Array.from({ length: count }, (_, i) => ({ ...report.findings[i % report.findings.length] })) };
  };

  it('draws a report on its own thread: the event loop keeps turning while it draws', async () => {
    const reports = renderer();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      // A fresh thread loads pdfkit and parses the DejaVu fonts first: several hundred ms of CPU, none of it here.
      const pdf = await reports.render(busyCaseReport('Ελληνικό μοντέλο', 'Модель ИИ'));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      clearInterval(ticker);
    }
  });

  it('refuses a report past the queue with 503 reports-busy and Retry-After, and draws the ones it took', async () => {
    const reports = renderer({ maxWaiting: 1 });
    const drawing = reports.render(busyCaseReport('Atlas', 'Acme AI'));
    const waiting = reports.render(busyCaseReport('Atlas', 'Acme AI'));
    expect(reports.backlog).toBe(2);
    const refused = await reports.render(busyCaseReport('Atlas', 'Acme AI')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused).toMatchObject({ status: 503, slug: 'reports-busy', headers: { 'Retry-After': '2' } });
    for (const pdf of await Promise.all([drawing, waiting])) expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(reports.backlog).toBe(0);
  });

  it('fails a report that overruns its time alone, and draws the next on a new thread', async () => {
    // 10,000 findings take many seconds to draw; a small report on a fresh thread well under one.
    const reports = renderer({ timeoutMs: 3000 });
    const overrun = reports.render(withFindings(10_000));
    const next = reports.render(busyCaseReport('Atlas', 'Acme AI'));
    await expect(overrun).rejects.toThrow('the model report took longer than 3000 ms to draw');
    expect((await next).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('answers a report it cannot draw or send with its error, and draws the next', async () => {
    const reports = renderer();
    const broken = { ...busyCaseReport('Atlas', 'Acme AI'), findings: null } as unknown as CaseReport;
    await expect(reports.render(broken)).rejects.toThrow(/^the model report could not be drawn: TypeError/);
    const unsendable = { ...busyCaseReport('Atlas', 'Acme AI'), findings: [() => 'a function'] } as unknown as CaseReport;
    await expect(reports.render(unsendable)).rejects.toThrow(/^the model report could not be sent to its thread: .*could not be cloned/);
    expect((await reports.render(busyCaseReport('Atlas', 'Acme AI'))).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses what waits when it is closed', async () => {
    const reports = renderer();
    const refusals = [reports.render(busyCaseReport('Atlas', 'Acme AI')), reports.render(busyCaseReport('Atlas', 'Acme AI'))].map((p) =>
      p.then(() => 'drawn', (error: Error) => error.message),
    );
    await reports.close();
    expect(await Promise.all(refusals)).toEqual(['the report renderer is shut down', 'the report renderer is shut down']);
    await expect(reports.render(busyCaseReport('Atlas', 'Acme AI'))).rejects.toThrow('the report renderer is shut down');
  });
});
