/** Complete assessment documents for tests and the demo; each call returns a fresh copy. */
export const lowTierAssessment = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  summary: 'A 7B general-purpose language model for text tasks.',
  intendedUse: 'Researchers and developers building assistants.',
  components: [
    { component: 'model_parameters', release: 'open' },
    { component: 'inference_code', release: 'open' },
    { component: 'model_card', release: 'open' },
  ],
  evaluations: ['chem_bio', 'cyber', 'autonomy', 'persuasion'].map((domain) => ({
    domain,
    method: 'benchmark',
    tier: 'low',
    summary: `${domain} uplift benchmark below the reference model`,
    evidenceIds: [],
  })),
  safeguards: [{ kind: 'deployment', description: 'usage policy and abuse reporting', residualRisk: 'low' }],
  marginalRisk: { referenceModel: 'an already-open model of similar capability', analysis: 'no measurable uplift over it' },
  rationale: 'Capabilities match models already released openly.',
  failureConditions: ['an evaluation showing uplift beyond the reference model'],
  ...overrides,
});

/** High tier in chem_bio: weights gated behind institutional email with manual approval. */
export const highTierAssessment = (overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  lowTierAssessment({
    components: [
      { component: 'model_parameters', release: 'gated', gating: { criteria: ['institutional_email'], approval: 'manual' } },
      { component: 'inference_code', release: 'open' },
      { component: 'model_card', release: 'open' },
    ],
    evaluations: [
      { domain: 'chem_bio', method: 'red_team', tier: 'high', summary: 'uplift trial with 40 participants', evidenceIds: [] },
      ...['cyber', 'autonomy', 'persuasion'].map((domain) => ({
        domain,
        method: 'benchmark',
        tier: 'moderate',
        summary: `${domain} benchmark`,
        evidenceIds: [],
      })),
    ],
    ...overrides,
  });

export const sha256Of = (seed: string): string => {
  let hex = '';
  for (let i = 0; hex.length < 64; i++) hex += ((seed.charCodeAt(i % seed.length) * 31 + i) % 256).toString(16).padStart(2, '0');
  return hex.slice(0, 64);
};
