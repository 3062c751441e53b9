import { describe, expect, it } from '@jest/globals';
import { specExampleAssessment } from '../testing/assessment.fixture.js';
import { validateAssessmentComplete as sut } from './validate-assessment-complete.js';

describe(sut.name, () => {
  it('accepts the SPEC example', () => {
    expect(sut(specExampleAssessment())).toEqual([]);
  });

  it('lists every missing top-level field of an empty draft', () => {
    expect(sut({}).map((p) => p.path)).toEqual([
      '$.summary',
      '$.intendedUse',
      '$.components',
      '$.evaluations',
      '$.safeguards',
      '$.marginalRisk',
      '$.rationale',
      '$.failureConditions',
    ]);
    expect(sut({})[0]).toEqual({ path: '$.summary', message: 'required for submission' });
  });

  it('treats blank prose and empty required lists as missing', () => {
    const doc = { ...specExampleAssessment(), rationale: '  ', components: [], failureConditions: [] };
    expect(sut(doc)).toEqual([
      { path: '$.components', message: 'at least one component is required for submission' },
      { path: '$.rationale', message: 'required for submission' },
      { path: '$.failureConditions', message: 'at least one failure condition is required for submission' },
    ]);
  });

  it('allows an empty safeguards list', () => {
    expect(sut({ ...specExampleAssessment(), safeguards: [] })).toEqual([]);
  });

  it('requires both halves of marginalRisk and non-blank nested prose', () => {
    const doc = specExampleAssessment();
    doc.marginalRisk = { analysis: 'a' };
    doc.evaluations![0]!.summary = '';
    expect(sut(doc)).toEqual([
      { path: '$.evaluations[0].summary', message: 'required for submission' },
      { path: '$.marginalRisk.referenceModel', message: 'required for submission' },
    ]);
  });
});
