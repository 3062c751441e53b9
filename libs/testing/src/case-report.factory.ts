import type { CaseReport } from '@app/reports';

/**
 * The model report of a busy case — 30 components, 20 findings, 5 opinions, 6 deadlines — with the
 * model and developer named as given (benches and tests of the report renderer).
 */
export const busyCaseReport = (model: string, developer: string): CaseReport => ({
  generatedAt: new Date().toISOString(),
  caseId: '0b0e7b5e-8a0c-4f39-9d59-6f4f1e7b0c11',
  state: 'in_audit',
  tier: 'high',
  revision: 4,
  revisionHash: 'cd'.repeat(32),
  releasedAt: null,
  createdAt: '2026-11-01T09:00:00.000Z',
  policyPack: 'caip-2025@1',
  workflowVersion: '1',
  developerOrganisation: developer,
  model: { name: model, version: '2.1', checkpointSha256: 'ef'.repeat(32), baseModels: ['Atlas 2.0 (finetune)', 'Atlas-Code 1.3 (merge)'] },
  components: Array.from({ length: 30 }, (_, i) => ({ component: `component_${i}`, release: i % 3 ? 'open' : 'gated', gating: i % 3 ? null : 'institutional email; manual approval within ten days' })),
  evaluations: Array.from({ length: 8 }, (_, i) => ({ domain: `domain_${i}`, method: 'red_team', tier: 'high', summary: 'uplift trial with 40 participants against a web-search baseline' })),
  safeguards: Array.from({ length: 6 }, () => ({ kind: 'deployment', description: 'access review by staff before any weights leave the enclave', residualRisk: 'moderate' })),
  rationale: 'Gated weights keep uplift in check while the evaluations are repeated at larger scale. '.repeat(6),
  findings: Array.from({ length: 20 }, (_, i) => ({
    severity: i % 2 ? 'major' : 'minor',
    title: `Finding ${i}: evaluation set too small for the claimed confidence`,
    status: 'resolved',
    concerns: 'chem_bio',
    revision: 1 + (i % 3),
    detail: 'Forty participants is too few for the confidence the assessment claims. '.repeat(3),
    response: 'Sixty more participants were added and the interval recomputed.',
    resolutionNote: 'Accepted after reading the new intervals.',
  })),
  opinions: Array.from({ length: 5 }, (_, i) => ({
    auditor: `Auditor ${i} (Audit firm ${i})`,
    kind: 'qualified',
    assurance: 'reasonable',
    issuedAt: '2026-11-20T10:00:00.000Z',
    revisionHash: 'cd'.repeat(32),
    basis: 'Scope limited to the chem_bio domain; the others were reviewed on documents only.',
    conditions: ['model_parameters at most gated', 'repeat the uplift trial within 90 days'],
  })),
  deadlines: Array.from({ length: 6 }, () => ({ kind: 'audit', dueAt: '2026-12-20T10:00:00.000Z', pausedAt: null, escalatedAt: null })),
  history: { length: 42, headHash: 'ab'.repeat(32), verifyUrl: 'https://clearance.example/v1/cases/0b0e7b5e-8a0c-4f39-9d59-6f4f1e7b0c11/history/verify' },
});
