/**
 * CPU per model report (`GET /v1/cases/:id/report.pdf`'s rendering, no database): a report of a
 * busy case — 30 components, 20 findings, 5 opinions, 6 deadlines — whose text is all WinAnsi
 * (drawn in the standard fonts) and the same report with the model and developer named in Greek
 * and Cyrillic (drawn in the embedded DejaVu fonts), drawn in this process: how long a report holds
 * the api's report process.
 *
 *   npm run bench:report -- --reports=40
 */
import { renderCaseReport, type CaseReport } from '@app/reports';
import { busyCaseReport } from '@app/testing';
import { option } from './support/options.js';

const reports = Number(option('reports', 'BENCH_REPORTS', '40'));

const measure = async (label: string, report: CaseReport) => {
  const first = process.cpuUsage();
  const firstBytes = await renderCaseReport(report);
  const firstMs = (process.cpuUsage(first).user + process.cpuUsage(first).system) / 1000;
  for (let i = 0; i < 5; i++) await renderCaseReport(report);
  const before = process.cpuUsage();
  let bytes = 0;
  for (let i = 0; i < reports; i++) bytes += (await renderCaseReport(report)).length;
  const used = process.cpuUsage(before);
  return {
    report: label,
    'first report CPU ms': firstMs.toFixed(1),
    'CPU ms per report': ((used.user + used.system) / 1000 / reports).toFixed(1),
    'KiB per report': (bytes / reports / 1024).toFixed(0),
    'first KiB': (firstBytes.length / 1024).toFixed(0),
  };
};

const rows = [await measure('WinAnsi (standard fonts)', busyCaseReport('Atlas', 'Acme AI')), await measure('Greek and Cyrillic (embedded DejaVu)', busyCaseReport('Ελληνικό μοντέλο', 'Модель ИИ'))];
console.table(rows);
