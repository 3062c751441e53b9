/**
 * The assessment form's state, kept apart from React so that it is tested alone: `fromCase`
 * fills the form from a case, `toDocument` builds the document to PUT from it, and the
 * `with…` functions are the form's updates.
 */
import {
  COMPONENTS,
  type AssessmentBody,
  type CaseView,
  type Component,
  type GatingApproval,
  type ReleaseLevel,
  type Tier,
} from '../../api/types';

export interface ComponentRow { release: ReleaseLevel; criteria: string[]; approval: GatingApproval }
export interface EvidenceItem { id: string; sha256?: string; size?: number; name?: string }
/** `tier` is '' until one is chosen. */
export interface EvaluationRow { method: string; tier: Tier | ''; summary: string; evidence: EvidenceItem[] }
export interface SafeguardRow { kind: string; description: string; residualRisk: string }

export interface FormState {
  checkpoint: string;
  summary: string;
  intendedUse: string;
  components: Record<Component, ComponentRow>;
  evaluations: Record<string, EvaluationRow>;
  safeguards: SafeguardRow[];
  referenceModel: string;
  analysis: string;
  rationale: string;
  failureConditions: string;
}

/** The document, and the row each array index came from (to place the server's errors beside their field). */
export interface BuiltDocument {
  doc: AssessmentBody;
  componentOrder: Component[];
  domainOrder: string[];
}

/** What this browser knows of an evidence file beyond its id (name, size, hash). */
export type KnownEvidence = (id: string) => Omit<EvidenceItem, 'id'>;

const WITHHELD: ComponentRow = { release: 'withheld', criteria: [], approval: 'manual' };
const EMPTY_EVALUATION: EvaluationRow = { method: '', tier: '', summary: '', evidence: [] };

/** The form for a case: every component (withheld unless listed) and every domain of the pack, in order. */
export const fromCase = (c: CaseView, domains: readonly string[], known: KnownEvidence = () => ({})): FormState => {
  const a = c.assessment ?? {};
  const components = Object.fromEntries(COMPONENTS.map((name) => [name, WITHHELD])) as Record<Component, ComponentRow>;
  for (const item of a.components ?? []) {
    components[item.component] = { release: item.release, criteria: item.gating?.criteria ?? [], approval: item.gating?.approval ?? 'manual' };
  }
  const evaluations: Record<string, EvaluationRow> = Object.fromEntries(domains.map((domain) => [domain, EMPTY_EVALUATION]));
  for (const e of a.evaluations ?? []) {
    evaluations[e.domain] = { method: e.method, tier: e.tier, summary: e.summary, evidence: (e.evidenceIds ?? []).map((id) => ({ ...known(id), id })) };
  }
  return {
    checkpoint: c.model?.checkpointSha256 ?? '',
    summary: a.summary ?? '',
    intendedUse: a.intendedUse ?? '',
    components,
    evaluations,
    safeguards: (a.safeguards ?? []).map((s) => ({ ...s })),
    referenceModel: a.marginalRisk?.referenceModel ?? '',
    analysis: a.marginalRisk?.analysis ?? '',
    rationale: a.rationale ?? '',
    failureConditions: (a.failureConditions ?? []).join('\n'),
  };
};

const started = (e: EvaluationRow): boolean => Boolean(e.method || e.tier || e.summary || e.evidence.length > 0);

/**
 * The document to PUT. A draft may be incomplete: empty texts are left out, withheld components and
 * evaluations not started are not listed, and `gating` goes exactly with `gated`.
 */
export const toDocument = (f: FormState): BuiltDocument => {
  const componentOrder = COMPONENTS.filter((name) => f.components[name].release !== 'withheld');
  const components = componentOrder.map((name) => {
    const row = f.components[name];
    return row.release === 'gated'
      ? { component: name, release: row.release, gating: { criteria: row.criteria, approval: row.approval } }
      : { component: name, release: row.release };
  });
  const domainOrder = Object.keys(f.evaluations).filter((domain) => started(f.evaluations[domain]!));
  const evaluations = domainOrder.map((domain) => {
    const e = f.evaluations[domain]!;
    // An unchosen tier goes as '' so that the server names the problem next to the field.
    return { domain, method: e.method, tier: e.tier as Tier, summary: e.summary, evidenceIds: e.evidence.map((x) => x.id) };
  });
  const failureConditions = f.failureConditions.split('\n').map((line) => line.trim()).filter(Boolean);
  const marginalRisk = { ...(f.referenceModel ? { referenceModel: f.referenceModel } : {}), ...(f.analysis ? { analysis: f.analysis } : {}) };
  const doc: AssessmentBody = {
    ...(f.summary ? { summary: f.summary } : {}),
    ...(f.intendedUse ? { intendedUse: f.intendedUse } : {}),
    components,
    evaluations,
    safeguards: f.safeguards,
    ...(Object.keys(marginalRisk).length ? { marginalRisk } : {}),
    ...(f.rationale ? { rationale: f.rationale } : {}),
    ...(failureConditions.length ? { failureConditions } : {}),
  };
  return { doc, componentOrder, domainOrder };
};

/** The JSON path of a component's entry in the document last sent, or null when it was not listed. */
export const componentPath = (built: BuiltDocument, name: Component): string | null => {
  const i = built.componentOrder.indexOf(name);
  return i < 0 ? null : `$.components[${i}]`;
};

/** The JSON path of a domain's evaluation in the document last sent, or null when it was not listed. */
export const evaluationPath = (built: BuiltDocument, domain: string): string | null => {
  const i = built.domainOrder.indexOf(domain);
  return i < 0 ? null : `$.evaluations[${i}]`;
};

export const withComponent = (f: FormState, name: Component, patch: Partial<ComponentRow>): FormState => ({
  ...f,
  components: { ...f.components, [name]: { ...f.components[name], ...patch } },
});

export const withEvaluation = (f: FormState, domain: string, patch: Partial<EvaluationRow>): FormState => ({
  ...f,
  evaluations: { ...f.evaluations, [domain]: { ...(f.evaluations[domain] ?? EMPTY_EVALUATION), ...patch } },
});

export const withSafeguard = (f: FormState, index: number, patch: Partial<SafeguardRow>): FormState => ({
  ...f,
  safeguards: f.safeguards.map((s, j) => (j === index ? { ...s, ...patch } : s)),
});

export const withoutSafeguard = (f: FormState, index: number): FormState => ({ ...f, safeguards: f.safeguards.filter((_, j) => j !== index) });

export const withNewSafeguard = (f: FormState): FormState => ({ ...f, safeguards: [...f.safeguards, { kind: '', description: '', residualRisk: '' }] });
