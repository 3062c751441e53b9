import PDFDocument from 'pdfkit';
import type { CaseReport } from './case-report.js';
import { ReportFonts, bindReportFonts, drawable } from './report-fonts.js';
import { isWinAnsi } from './win-ansi.util.js';

const FONT = ReportFonts.body;
const BOLD = ReportFonts.bold;
const MONO = ReportFonts.mono;
const GREY = '#555555';
const HEADER_FILL = '#e8e8e8';

type Doc = PDFKit.PDFDocument;

const text = (value: string | number | null | undefined): string => (value === null || value === undefined || value === '' ? '—' : drawable(String(value)));

const heading = (doc: Doc, title: string) => {
  doc.moveDown(0.8);
  doc.font(BOLD).fontSize(13).fillColor('black').text(title, doc.page.margins.left);
  doc.moveDown(0.3);
  doc.font(FONT).fontSize(9.5);
};

const paragraph = (doc: Doc, value: string, options: { font?: string; color?: string } = {}) =>
  doc.font(options.font ?? FONT).fontSize(9.5).fillColor(options.color ?? 'black').text(drawable(value), doc.page.margins.left);

const none = (doc: Doc, what: string) => paragraph(doc, `No ${what}.`, { color: GREY });

/** A table with a bold, shaded header row; every cell drawable text. */
const table = (doc: Doc, header: string[], rows: Array<Array<string | number | null | undefined>>, widths: Array<number | string>) => {
  doc.font(FONT).fontSize(8.5).fillColor('black');
  doc.table({
    position: { x: doc.page.margins.left },
    columnStyles: widths,
    rowStyles: (i) => (i === 0 ? { backgroundColor: HEADER_FILL } : undefined),
    defaultStyle: { border: 0.5, borderColor: '#999999', padding: [3, 4, 3, 4] },
    data: [header.map((h) => ({ text: h, font: { src: BOLD } })), ...rows.map((row) => row.map(text))],
  });
  doc.font(FONT).fontSize(9.5);
};

/** Label / value lines, the label bold. */
const facts = (doc: Doc, rows: Array<[string, string | number | null | undefined, ('mono' | undefined)?]>) => {
  for (const [label, value, style] of rows) {
    doc.font(BOLD).fontSize(9.5).fillColor('black').text(`${label}: `, doc.page.margins.left, undefined, { continued: true });
    doc.font(style === 'mono' ? MONO : FONT).text(text(value));
  }
};

/**
 * The model report a regulator can file, as PDF bytes: in the standard fonts when all of its text
 * is WinAnsi, else in embedded DejaVu fonts, so names in Greek or Cyrillic print as written; a
 * character no report font has is drawn as `?` (docs/decisions.md, "Exports").
 */
export const renderCaseReport = (report: CaseReport): Promise<Buffer> => {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    bufferPages: true,
    info: {
      // The document's metadata is Unicode text in the PDF: no glyphs needed.
      Title: `Model report: ${report.model.name} ${report.model.version}`,
      Subject: `Clearance case ${report.caseId}`,
      Creator: 'Clearance',
      CreationDate: new Date(report.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // Every string of the report is in its JSON (control characters escaped, which both fonts draw as ?).
  bindReportFonts(doc, { embedded: !isWinAnsi(JSON.stringify(report)) });

  doc.font(BOLD).fontSize(18).text(drawable(`${report.model.name} ${report.model.version}`));
  doc.font(FONT).fontSize(11).fillColor(GREY).text('Pre-release risk assessment: model report');
  doc.fillColor('black').moveDown(0.6);
  facts(doc, [
    ['Developer', report.developerOrganisation],
    ['Case', report.caseId, 'mono'],
    ['State', report.state],
    ['Tier', report.tier],
    ['Revision', report.revision],
    ['Revision hash', report.revisionHash, 'mono'],
    ['Policy pack', report.policyPack],
    ['Workflow version', report.workflowVersion],
    ['Opened', report.createdAt],
    ['Released', report.releasedAt],
    ['Report generated', report.generatedAt],
  ]);

  heading(doc, 'Model');
  facts(doc, [
    ['Name', report.model.name],
    ['Version', report.model.version],
    ['Checkpoint SHA-256', report.model.checkpointSha256, 'mono'],
  ]);
  if (report.model.baseModels.length === 0) paragraph(doc, 'Base models: none declared.');
  else for (const base of report.model.baseModels) paragraph(doc, `Base model: ${base}`);

  heading(doc, 'Release decision per component');
  table(doc, ['Component', 'Release', 'Gating'], report.components.map((c) => [c.component, c.release, c.gating]), [170, 110, '*']);

  heading(doc, 'Evaluations by domain');
  if (report.evaluations.length === 0) none(doc, 'evaluations');
  else table(doc, ['Domain', 'Method', 'Tier', 'Summary'], report.evaluations.map((e) => [e.domain, e.method, e.tier, e.summary]), [80, 80, 70, '*']);

  heading(doc, 'Safeguards');
  if (report.safeguards.length === 0) none(doc, 'safeguards');
  else table(doc, ['Kind', 'Residual risk', 'Description'], report.safeguards.map((s) => [s.kind, s.residualRisk, s.description]), [90, 80, '*']);
  if (report.rationale) {
    doc.moveDown(0.4);
    facts(doc, [['Rationale', report.rationale]]);
  }

  heading(doc, 'Findings and their resolution');
  if (report.findings.length === 0) none(doc, 'findings');
  else
    table(
      doc,
      ['Severity', 'Finding', 'Status', 'Resolution'],
      report.findings.map((f) => [
        f.severity,
        `${f.title}${f.concerns ? ` (${f.concerns})` : ''}, revision ${f.revision}\n${f.detail}`,
        f.status,
        [f.response && `Response: ${f.response}`, f.resolutionNote && `Resolved: ${f.resolutionNote}`].filter(Boolean).join('\n') || null,
      ]),
      [55, '*', 55, 150],
    );

  heading(doc, 'Opinions');
  if (report.opinions.length === 0) none(doc, 'opinions');
  for (const o of report.opinions) {
    facts(doc, [
      ['Opinion', `${o.kind}, ${o.assurance} assurance, by ${o.auditor}, ${o.issuedAt}`],
      ['Sealed to revision', o.revisionHash, 'mono'],
      ['Basis', o.basis],
    ]);
    if (o.conditions.length === 0) paragraph(doc, 'Conditions: none.');
    else for (const condition of o.conditions) paragraph(doc, `Condition: ${condition}`);
    doc.moveDown(0.4);
  }

  heading(doc, 'Open deadlines');
  if (report.deadlines.length === 0) none(doc, 'open deadlines');
  else table(doc, ['Kind', 'Due', 'Paused', 'Escalated'], report.deadlines.map((d) => [d.kind, d.dueAt, d.pausedAt, d.escalatedAt]), ['*', 134, 134, 134]);

  heading(doc, 'Integrity');
  paragraph(doc, `The case's history is an append-only hash chain of ${report.history.length} events. Its head hash when this report was made:`);
  doc.font(MONO).fontSize(9).text(report.history.headHash, doc.page.margins.left);
  doc.moveDown(0.3);
  paragraph(doc, 'A reader of the case verifies the chain, and that it ends at this head, with:');
  doc.font(MONO).fontSize(8).text(drawable(`curl -H "Authorization: Bearer $TOKEN" \\\n  ${report.history.verifyUrl}`), doc.page.margins.left);
  paragraph(doc, 'which answers {"valid": true, ...} with a headHash equal to the one above (or a later one, if events were added since).', { color: GREY });

  // Page numbers in the footer, once the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(FONT).fontSize(8).fillColor(GREY).text(
      drawable(`Clearance model report, case ${report.caseId}, page ${i + 1} of ${range.count}`),
      doc.page.margins.left,
      doc.page.height - 36,
      { width: doc.page.width - doc.page.margins.left - doc.page.margins.right, align: 'center', lineBreak: false },
    );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
};
