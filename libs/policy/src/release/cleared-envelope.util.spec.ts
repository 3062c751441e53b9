import { describe, expect, it } from '@jest/globals';
import { specExampleAssessment } from '../testing/assessment.fixture.js';
import { COMPONENTS } from '../vocabulary/components.js';
import { clearedEnvelope as sut } from './cleared-envelope.util.js';

const byComponent = (envelope: ReturnType<typeof sut>) => Object.fromEntries(envelope.map((c) => [c.component, c]));

describe(sut.name, () => {
  it('covers all 17 components, unlisted ones withheld, gating kept', () => {
    const envelope = sut(specExampleAssessment(), []);
    expect(envelope.map((c) => c.component)).toEqual([...COMPONENTS]);
    const map = byComponent(envelope);
    expect(map['model_parameters']).toEqual({
      component: 'model_parameters',
      release: 'gated',
      gating: { criteria: ['institutional_email'], approval: 'manual' },
    });
    expect(map['inference_code']).toEqual({ component: 'inference_code', release: 'open' });
    expect(map['datasets']).toEqual({ component: 'datasets', release: 'withheld' });
  });

  it('tightens to the lowest maxRelease naming the component and never loosens', () => {
    const map = byComponent(
      sut(specExampleAssessment(), [
        { text: 'code via API only', component: 'inference_code', maxRelease: 'restricted_download' },
        { text: 'stricter', component: 'inference_code', maxRelease: 'api' },
        { text: 'cannot loosen', component: 'datasets', maxRelease: 'open' },
        { text: 'no cap', component: 'inference_code' },
      ]),
    );
    expect(map['inference_code']!.release).toBe('api');
    expect(map['datasets']!.release).toBe('withheld');
  });

  it('drops gating when a condition closes a gated component further', () => {
    const map = byComponent(sut(specExampleAssessment(), [{ text: 'weights stay in house', component: 'model_parameters', maxRelease: 'internal' }]));
    expect(map['model_parameters']).toEqual({ component: 'model_parameters', release: 'internal' });
  });

  it('applies a condition naming no component to every component', () => {
    const envelope = sut(specExampleAssessment(), [{ text: 'nothing above api', maxRelease: 'api' }]);
    expect(envelope.every((c) => c.release === 'api' || c.release === 'withheld')).toBe(true);
    expect(byComponent(envelope)['inference_code']!.release).toBe('api');
  });

  it('does not share gating arrays with the assessment', () => {
    const assessment = specExampleAssessment();
    const envelope = sut(assessment, []);
    assessment.components![0]!.gating!.criteria.push('kyc');
    expect(byComponent(envelope)['model_parameters']!.gating!.criteria).toEqual(['institutional_email']);
  });
});
