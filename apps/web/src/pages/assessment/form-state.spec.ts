import { describe, expect, it } from '@jest/globals';
import { COMPONENTS, type Assessment, type CaseView } from '../../api/types';
import { componentPath, evaluationPath, fromCase, toDocument, withComponent, withEvaluation, withNewSafeguard, withSafeguard, withoutSafeguard } from './form-state';

const DOMAINS = ['chem_bio', 'cyber', 'autonomy', 'persuasion'];

/** A case as `GET /v1/cases/{id}` answers it, with only what the form reads. */
const caseWith = (assessment: Assessment | null, checkpointSha256: string | null = null): CaseView =>
  ({ id: 'case-1', state: 'draft', version: 3, model: { name: 'tundra', version: '2.0', checkpointSha256 }, assessment }) as unknown as CaseView;

const complete: Assessment = {
  summary: 'A 20B multilingual language model.',
  intendedUse: 'Academic research.',
  components: [
    { component: 'inference_code', release: 'open' },
    { component: 'model_parameters', release: 'gated', gating: { criteria: ['institutional_email'], approval: 'manual' } },
  ],
  evaluations: [
    { domain: 'chem_bio', method: 'red_team', tier: 'high', summary: 'uplift trial', evidenceIds: ['e1'] },
    { domain: 'cyber', method: 'benchmark', tier: 'moderate', summary: 'ctf', evidenceIds: [] },
    { domain: 'autonomy', method: 'benchmark', tier: 'low', summary: 'agentic tasks', evidenceIds: [] },
    { domain: 'persuasion', method: 'expert_review', tier: 'cannot_rule_out', summary: 'panel', evidenceIds: [] },
  ],
  safeguards: [{ kind: 'deployment', description: 'access review', residualRisk: 'moderate' }],
  marginalRisk: { referenceModel: 'an open 13B model', analysis: 'gating keeps uplift below it' },
  rationale: 'Weights gated to verified academics.',
  failureConditions: ['an uplift study showing uplift', 'a jailbreak of the gate'],
};

describe('assessment form state', () => {
  describe(fromCase.name, () => {
    it('starts a new case with every component withheld and every domain of the pack to evaluate', () => {
      const sut = fromCase(caseWith(null), DOMAINS);

      expect(Object.keys(sut.components)).toEqual([...COMPONENTS]);
      expect(Object.values(sut.components).every((row) => row.release === 'withheld')).toBe(true);
      expect(Object.keys(sut.evaluations)).toEqual(DOMAINS);
      expect(sut.evaluations.cyber).toEqual({ method: '', tier: '', summary: '', evidence: [] });
      expect(sut).toMatchObject({ checkpoint: '', summary: '', safeguards: [], failureConditions: '' });
    });

    it('fills the rows from the assessment, the checkpoint from the model and evidence names from what the browser knows', () => {
      const sut = fromCase(caseWith(complete, 'ab'.repeat(32)), DOMAINS, (id) => (id === 'e1' ? { name: 'trial.csv', size: 33 } : {}));

      expect(sut.checkpoint).toBe('ab'.repeat(32));
      expect(sut.components.model_parameters).toEqual({ release: 'gated', criteria: ['institutional_email'], approval: 'manual' });
      expect(sut.components.inference_code).toEqual({ release: 'open', criteria: [], approval: 'manual' });
      expect(sut.evaluations.chem_bio?.evidence).toEqual([{ id: 'e1', name: 'trial.csv', size: 33 }]);
      expect(sut.failureConditions).toBe('an uplift study showing uplift\na jailbreak of the gate');
    });

    it('keeps an evaluation of a domain the pack no longer lists, so that nothing saved is lost', () => {
      const sut = fromCase(caseWith({ evaluations: [{ domain: 'legacy', method: 'm', tier: 'low', summary: 's', evidenceIds: [] }] }), DOMAINS);

      expect(Object.keys(sut.evaluations)).toEqual([...DOMAINS, 'legacy']);
    });
  });

  describe(toDocument.name, () => {
    it('gives back the document the form was filled from', () => {
      const { doc } = toDocument(fromCase(caseWith(complete), DOMAINS));

      // Components come in the framework's order, which is the order of `complete`.
      expect(doc).toEqual(complete);
    });

    it('sends an empty draft as empty lists, with no empty texts', () => {
      const { doc, componentOrder, domainOrder } = toDocument(fromCase(caseWith(null), DOMAINS));

      expect(doc).toEqual({ components: [], evaluations: [], safeguards: [] });
      expect(componentOrder).toEqual([]);
      expect(domainOrder).toEqual([]);
    });

    it('sends gating exactly when the release is gated', () => {
      const gated = withComponent(fromCase(caseWith(null), DOMAINS), 'model_parameters', { release: 'gated', criteria: ['kyc'], approval: 'automatic' });
      const opened = withComponent(gated, 'model_parameters', { release: 'open' });

      expect(toDocument(gated).doc.components).toEqual([{ component: 'model_parameters', release: 'gated', gating: { criteria: ['kyc'], approval: 'automatic' } }]);
      expect(toDocument(opened).doc.components).toEqual([{ component: 'model_parameters', release: 'open' }]);
    });

    it('sends a started evaluation with its unchosen tier, and maps each index back to its row', () => {
      const form = withEvaluation(withComponent(fromCase(caseWith(null), DOMAINS), 'model_card', { release: 'open' }), 'autonomy', { method: 'benchmark' });
      const built = toDocument(form);

      expect(built.doc.evaluations).toEqual([{ domain: 'autonomy', method: 'benchmark', tier: '', summary: '', evidenceIds: [] }]);
      expect(evaluationPath(built, 'autonomy')).toBe('$.evaluations[0]');
      expect(evaluationPath(built, 'cyber')).toBeNull();
      expect(componentPath(built, 'model_card')).toBe('$.components[0]');
      expect(componentPath(built, 'datasets')).toBeNull();
    });

    it('sends one failure condition per non-blank line, trimmed, and the marginal risk only with what was given', () => {
      const form = { ...fromCase(caseWith(null), DOMAINS), failureConditions: '  first \n\n second\n ', analysis: 'no uplift' };

      expect(toDocument(form).doc).toMatchObject({ failureConditions: ['first', 'second'], marginalRisk: { analysis: 'no uplift' } });
      expect(toDocument(form).doc.marginalRisk).not.toHaveProperty('referenceModel');
    });
  });

  describe('updates', () => {
    it('change one row and leave the state they were given untouched', () => {
      const before = fromCase(caseWith(complete), DOMAINS);
      const snapshot = structuredClone(before);

      const added = withNewSafeguard(before);
      const edited = withSafeguard(added, 1, { kind: 'monitoring' });
      const removed = withoutSafeguard(edited, 0);
      withComponent(before, 'datasets', { release: 'api' });
      withEvaluation(before, 'cyber', { tier: 'high' });

      expect(before).toEqual(snapshot);
      expect(edited.safeguards.map((s) => s.kind)).toEqual(['deployment', 'monitoring']);
      expect(removed.safeguards).toEqual([{ kind: 'monitoring', description: '', residualRisk: '' }]);
    });
  });
});
