import { describe, expect, it } from '@jest/globals';
import { specExampleAssessment } from '../testing/assessment.fixture.js';
import { assessmentSchema } from './assessment.schema.js';
import { validateAssessmentShape as sut } from './validate-assessment-shape.js';

describe(sut.name, () => {
  it('accepts the SPEC example', () => {
    expect(sut(specExampleAssessment())).toEqual([]);
  });

  it('accepts an empty draft', () => {
    expect(sut({})).toEqual([]);
  });

  it.each([null, [], 'text', 3])('answers one problem at $ for a non-object (%p)', (doc) => {
    expect(sut(doc)).toEqual([{ path: '$', message: 'must be a JSON object' }]);
  });

  it('rejects unknown fields with their path, at every level', () => {
    const doc = { ...specExampleAssessment(), extra: 1 } as Record<string, unknown>;
    (doc['components'] as Array<Record<string, unknown>>)[1]!['note'] = 'x';
    (doc['marginalRisk'] as Record<string, unknown>)['score'] = 2;
    expect(sut(doc)).toEqual(
      expect.arrayContaining([
        { path: '$.extra', message: 'unknown field' },
        { path: '$.components[1].note', message: 'unknown field' },
        { path: '$.marginalRisk.score', message: 'unknown field' },
      ]),
    );
  });

  it('reports bad enums and types by path, all at once', () => {
    const doc = specExampleAssessment() as Record<string, unknown>;
    doc['components'] = [{ component: 'weights', release: 'public' }];
    doc['evaluations'] = [{ domain: '', method: 'red_team', tier: 'extreme', summary: 's', evidenceIds: ['not-a-uuid'] }];
    doc['summary'] = 42;
    const paths = sut(doc).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '$.components[0].component',
        '$.components[0].release',
        '$.evaluations[0].domain',
        '$.evaluations[0].tier',
        '$.evaluations[0].evidenceIds[0]',
        '$.summary',
      ]),
    );
  });

  it('says "required" for a missing field inside an item', () => {
    expect(sut({ safeguards: [{ kind: 'deployment', description: 'd' }] })).toEqual([
      { path: '$.safeguards[0].residualRisk', message: 'required' },
    ]);
  });

  it('flags a component listed twice at the second occurrence', () => {
    const problems = sut({
      components: [
        { component: 'datasets', release: 'open' },
        { component: 'inference_code', release: 'open' },
        { component: 'datasets', release: 'api' },
      ],
    });
    expect(problems).toEqual([{ path: '$.components[2].component', message: 'datasets: listed more than once (first at index 0)' }]);
  });

  it('requires gating exactly when gated', () => {
    const problems = sut({
      components: [
        { component: 'model_parameters', release: 'gated' },
        { component: 'datasets', release: 'open', gating: { criteria: ['kyc'], approval: 'manual' } },
      ],
    });
    expect(problems).toEqual([
      { path: '$.components[0].gating', message: 'model_parameters: required when release is gated' },
      { path: '$.components[1].gating', message: 'datasets: only allowed when release is gated' },
    ]);
  });

  it('still reports list rules when another item is malformed', () => {
    const problems = sut({
      components: [
        { component: 'model_parameters', release: 'gated' },
        { component: 'model_parameters', release: 'open', bogus: true },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '$.components[1].bogus', message: 'unknown field' },
        { path: '$.components[0].gating', message: 'model_parameters: required when release is gated' },
        { path: '$.components[1].component', message: 'model_parameters: listed more than once (first at index 0)' },
      ]),
    );
    expect(new Set(problems.map((p) => `${p.path}${p.message}`)).size).toBe(problems.length);
  });

  it('rejects empty gating criteria and unknown approval', () => {
    const problems = sut({
      components: [{ component: 'model_parameters', release: 'gated', gating: { criteria: [], approval: 'auto' } }],
    });
    expect(problems.map((p) => p.path)).toEqual(['$.components[0].gating.criteria', '$.components[0].gating.approval']);
  });

  it('agrees with assessmentSchema.parse on the list rules', () => {
    const result = assessmentSchema.safeParse({ components: [{ component: 'datasets', release: 'gated' }] });
    expect(result.success).toBe(false);
  });
});
