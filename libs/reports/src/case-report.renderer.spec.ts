import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { CaseReport } from './case-report.js';
import { renderCaseReport } from './case-report.renderer.js';

const HEAD = 'ab'.repeat(32);
// The standard fonts' metrics, so pdf.js reads Helvetica without warnings.
const standardFontDataUrl = `${createRequire(import.meta.url).resolve('pdfjs-dist/package.json').replace(/package\.json$/, '')}standard_fonts/`;

const report = (overrides: Partial<CaseReport> = {}): CaseReport => ({
  generatedAt: '2026-11-30T12:00:00.000Z',
  caseId: '0b0e7b5e-8a0c-4f39-9d59-6f4f1e7b0c11',
  state: 'cleared',
  tier: 'high',
  revision: 2,
  revisionHash: 'cd'.repeat(32),
  releasedAt: null,
  createdAt: '2026-11-01T09:00:00.000Z',
  policyPack: 'caip-2025@1',
  workflowVersion: '1',
  developerOrganisation: 'Acme AI',
  model: { name: 'Atlas', version: '2.1', checkpointSha256: 'ef'.repeat(32), baseModels: ['Atlas 2.0 (finetune)'] },
  components: [
    { component: 'model_parameters', release: 'gated', gating: 'institutional_email; manual approval' },
    { component: 'inference_code', release: 'open', gating: null },
    { component: 'datasets', release: 'withheld', gating: null },
  ],
  evaluations: [{ domain: 'chem_bio', method: 'red_team', tier: 'high', summary: 'uplift trial with 40 participants' }],
  safeguards: [{ kind: 'deployment', description: 'access review by staff', residualRisk: 'moderate' }],
  rationale: 'gated weights keep uplift in check',
  findings: [
    {
      severity: 'major',
      title: 'Eval set too small',
      status: 'resolved',
      concerns: 'chem_bio',
      revision: 1,
      detail: 'forty is few',
      response: 'added 60 more',
      resolutionNote: 'accepted',
    },
  ],
  opinions: [
    {
      auditor: 'Ada Auditor (Audit A)',
      kind: 'qualified',
      assurance: 'reasonable',
      issuedAt: '2026-11-20T10:00:00.000Z',
      revisionHash: 'cd'.repeat(32),
      basis: 'scope limited to chem_bio',
      conditions: ['model_parameters at most gated'],
    },
  ],
  deadlines: [{ kind: 'audit', dueAt: '2026-12-20T10:00:00.000Z', pausedAt: null, escalatedAt: null }],
  history: { length: 9, headHash: HEAD, verifyUrl: 'https://clearance.example/v1/cases/x/history/verify' },
  ...overrides,
});

const textOf = async (bytes: Buffer) => {
  const pdf = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl, isEvalSupported: false }).promise;
  let text = '';
  for (let n = 1; n <= pdf.numPages; n++)
    for (const item of (await (await pdf.getPage(n)).getTextContent()).items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
  await pdf.destroy();
  return text;
};

describe('renderCaseReport', () => {
  it('writes a PDF that reads back with the model, every component, the findings, opinions and the history head', async () => {
    const bytes = await renderCaseReport(report());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await textOf(bytes);
    for (const expected of [
      'Atlas 2.1',
      'Acme AI',
      'model_parameters',
      'inference_code',
      'datasets',
      'institutional_email; manual approval',
      'chem_bio',
      'uplift trial with 40 participants',
      'access review by staff',
      'Eval set too small',
      'accepted',
      'qualified, reasonable assurance, by Ada Auditor (Audit A)',
      'model_parameters at most gated',
      '2026-12-20T10:00:00.000Z',
      HEAD,
      'https://clearance.example/v1/cases/x/history/verify',
    ])
      expect(text).toContain(expected);
  });

  it('draws a report whose text is all WinAnsi in the standard fonts, embedding none', async () => {
    const bytes = await renderCaseReport(report({ model: { name: 'Modèle “v2” — Straße', version: '1', checkpointSha256: null, baseModels: [] } }));
    expect(await textOf(bytes)).toContain('Modèle “v2” — Straße 1');
    expect(bytes.toString('latin1')).toMatch(/\/BaseFont \/Helvetica/);
    expect(bytes.toString('latin1')).not.toMatch(/\/FontFile2/);
  });

  it('prints Greek and Cyrillic names as written, in the embedded fonts', async () => {
    const bytes = await renderCaseReport(report({ model: { name: 'Ελληνικό Модель', version: 'β', checkpointSha256: null, baseModels: [] } }));
    expect(await textOf(bytes)).toContain('Ελληνικό Модель β');
    // Embedded, not the standard fonts that have no glyph for them.
    expect(bytes.toString('latin1')).toMatch(/\/FontFile2/);
  });

  it('says so when a section is empty, and draws text no report font has as ?', async () => {
    const text = await textOf(
      await renderCaseReport(report({ model: { name: '模型', version: '1', checkpointSha256: null, baseModels: [] }, findings: [], opinions: [], deadlines: [] })),
    );
    expect(text).toContain('?? 1');
    expect(text).toContain('No findings.');
    expect(text).toContain('No opinions.');
    expect(text).toContain('No open deadlines.');
    expect(text).toContain('Base models: none declared.');
  });

  it('numbers every page when the report runs long', async () => {
    const findings = Array.from({ length: 60 }, (_, i) => ({ ...report().findings[0]!, title: `Finding ${i}` }));
    const text = await textOf(await renderCaseReport(report({ findings })));
    expect(text).toContain('Finding 59');
    const pages = Number(/page 1 of (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`page ${pages} of ${pages}`);
  });
});
