import { describe, expect, it } from '@jest/globals';
import type { AssessmentDocument } from '../assessment/assessment.schema.js';
import { CAIP_2025 } from '../pack/caip-2025.pack.js';
import { evaluationsInEveryDomain, specExampleAssessment } from '../testing/assessment.fixture.js';
import { ancestorNotHeld } from './ancestor-not-held.rule.js';
import { domainEvaluated } from './domain-evaluated.rule.js';
import type { AncestorCase } from './intake-reason.js';
import { screenIntake as sut } from './screen-intake.js';
import { weightsWithinTier } from './weights-within-tier.rule.js';

const ancestor = (state: string, name = 'base'): AncestorCase => ({ modelVersionId: `${name}-id`, name, version: '1.0', state });

describe(domainEvaluated.name, () => {
  it('names each pack domain without an evaluation', () => {
    expect(domainEvaluated({ assessment: specExampleAssessment(), pack: CAIP_2025 })).toEqual(
      ['cyber', 'autonomy', 'persuasion'].map((domain) => ({
        rule: 'domain-evaluated',
        path: '$.evaluations',
        message: `${domain}: no evaluation in this domain, which the pack requires`,
      })),
    );
  });

  it('passes when every domain is evaluated', () => {
    expect(domainEvaluated({ assessment: { evaluations: evaluationsInEveryDomain() }, pack: CAIP_2025 })).toEqual([]);
  });
});

describe(weightsWithinTier.name, () => {
  it('gives the exact SPEC message for open weights at tier high', () => {
    const assessment: AssessmentDocument = {
      components: [
        { component: 'inference_code', release: 'open' },
        { component: 'model_parameters', release: 'open' },
      ],
      evaluations: evaluationsInEveryDomain('high'),
    };
    expect(weightsWithinTier({ assessment, pack: CAIP_2025 })).toEqual([
      {
        rule: 'weights-within-tier',
        path: '$.components[1].release',
        message: 'model_parameters: open exceeds gated, the most open release permitted at tier high',
      },
    ]);
  });

  it('checks intermediate parameters too, and uses the effective tier for cannot_rule_out', () => {
    const assessment: AssessmentDocument = {
      components: [
        { component: 'intermediate_parameters', release: 'api' },
        { component: 'model_parameters', release: 'internal' },
        { component: 'datasets', release: 'open' },
      ],
      evaluations: evaluationsInEveryDomain('cannot_rule_out'),
    };
    expect(weightsWithinTier({ assessment, pack: CAIP_2025 })).toEqual([
      {
        rule: 'weights-within-tier',
        path: '$.components[0].release',
        message: 'intermediate_parameters: api exceeds internal, the most open release permitted at tier critical',
      },
    ]);
  });

  it('passes gated weights at tier high and reports nothing without evaluations', () => {
    expect(weightsWithinTier({ assessment: specExampleAssessment(), pack: CAIP_2025 })).toEqual([]);
    expect(weightsWithinTier({ assessment: { components: [{ component: 'model_parameters', release: 'open' }] }, pack: CAIP_2025 })).toEqual([]);
  });
});

describe(ancestorNotHeld.name, () => {
  it('names each held or revoked ancestor with its state', () => {
    const reasons = ancestorNotHeld({
      ancestors: [ancestor('released', 'ok'), ancestor('held', 'llama'), ancestor('revoked', 'mistral')],
    });
    expect(reasons).toEqual([
      { rule: 'ancestor-not-held', path: '$.model.baseModels', message: "llama@1.0: base model version's case is held" },
      { rule: 'ancestor-not-held', path: '$.model.baseModels', message: "mistral@1.0: base model version's case is revoked" },
    ]);
  });
});

describe(sut.name, () => {
  it('passes a compliant assessment', () => {
    const assessment = { ...specExampleAssessment(), evaluations: evaluationsInEveryDomain('high') };
    expect(sut({ assessment, pack: CAIP_2025, ancestors: [ancestor('cleared')] })).toEqual([]);
  });

  it('returns the reasons of every rule together', () => {
    const assessment: AssessmentDocument = {
      components: [{ component: 'model_parameters', release: 'open' }],
      evaluations: [{ domain: 'chem_bio', method: 'red_team', tier: 'critical', summary: 's' }],
    };
    const reasons = sut({ assessment, pack: CAIP_2025, ancestors: [ancestor('held')] });
    expect(reasons.map((r) => r.rule)).toEqual([
      'domain-evaluated',
      'domain-evaluated',
      'domain-evaluated',
      'weights-within-tier',
      'ancestor-not-held',
    ]);
  });
});
