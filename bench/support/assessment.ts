/** A complete low-tier assessment (one sign-off, no regulator review), as the e2e factory builds it. */
export const lowTierAssessment = (): Record<string, unknown> => ({
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
});

/** Any fixed lowercase hex SHA-256 will do: the bench releases the weights it declared. */
export const CHECKPOINT_SHA256 = 'b'.repeat(64);
