import type { IntakeInput, IntakeReason } from './intake-reason.js';

export const DOMAIN_EVALUATED = 'domain-evaluated';

/** Each domain the pack declares has at least one evaluation. */
export const domainEvaluated = ({ assessment, pack }: Pick<IntakeInput, 'assessment' | 'pack'>): IntakeReason[] => {
  const evaluated = new Set((assessment.evaluations ?? []).map((e) => e.domain));
  return pack.domains
    .filter((domain) => !evaluated.has(domain))
    .map((domain) => ({
      rule: DOMAIN_EVALUATED,
      path: '$.evaluations',
      message: `${domain}: no evaluation in this domain, which the pack requires`,
    }));
};
