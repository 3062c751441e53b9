import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api, read } from '../api/client';
import { uploadEvidence } from '../api/upload';
import {
  ASSESSED_TIERS, COMPONENTS, GATING_CRITERIA, RELEASE_LEVELS,
  type Assessment, type CaseView, type Evaluation, type Component, type EvidenceMeta, type ReleaseLevel,
} from '../api/types';
import { FieldErrors, errorsUnder, type FieldProblem } from '../components/field-errors';
import { formatBytes, words } from '../components/format';
import { Loading, ProblemMessage } from '../components/problem';
import { usePageTitle } from '../components/session';
import { useLoad } from '../components/use-load';
import { evidenceCache } from '../components/evidence-cache';

interface ComponentRow { release: ReleaseLevel; criteria: string[]; approval: 'manual' | 'automatic' }
interface EvidenceItem { id: string; sha256?: string; size?: number; name?: string }
interface EvaluationRow { method: string; tier: string; summary: string; evidence: EvidenceItem[] }
interface SafeguardRow { kind: string; description: string; residualRisk: string }

interface FormState {
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

const EDITABLE = ['draft', 'changes_requested'];

const fromCase = (c: CaseView, domains: string[]): FormState => {
  const a: Assessment = c.assessment ?? {};
  const components = Object.fromEntries(COMPONENTS.map((name): [Component, ComponentRow] => [name, { release: 'withheld', criteria: [], approval: 'manual' }])) as Record<Component, ComponentRow>;
  for (const item of a.components ?? []) {
    components[item.component] = { release: item.release, criteria: item.gating?.criteria ?? [], approval: item.gating?.approval ?? 'manual' };
  }
  const evaluations: Record<string, EvaluationRow> = {};
  for (const domain of domains) evaluations[domain] = { method: '', tier: '', summary: '', evidence: [] };
  for (const e of a.evaluations ?? []) {
    evaluations[e.domain] = {
      method: e.method,
      tier: e.tier,
      summary: e.summary,
      evidence: (e.evidenceIds ?? []).map((id) => ({ id, ...evidenceCache.get(id) })),
    };
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

/** The document to PUT, and which row each array index came from (to place the server's errors). */
const toDocument = (f: FormState) => {
  const componentOrder: Component[] = [];
  const components = COMPONENTS.filter((name) => f.components[name].release !== 'withheld').map((name) => {
    componentOrder.push(name);
    const row = f.components[name];
    return row.release === 'gated' ? { component: name, release: row.release, gating: { criteria: row.criteria, approval: row.approval } } : { component: name, release: row.release };
  });
  const domainOrder: string[] = [];
  const evaluations = Object.entries(f.evaluations)
    .filter(([, e]) => e.method || e.tier || e.summary || e.evidence.length > 0)
    .map(([domain, e]) => {
      domainOrder.push(domain);
      // An unchosen tier goes as '' so that the server names the problem next to the field.
      return { domain, method: e.method, tier: e.tier as Evaluation['tier'], summary: e.summary, evidenceIds: e.evidence.map((x) => x.id) };
    });
  const failureConditions = f.failureConditions.split('\n').map((line) => line.trim()).filter(Boolean);
  const doc: Assessment = {
    ...(f.summary ? { summary: f.summary } : {}),
    ...(f.intendedUse ? { intendedUse: f.intendedUse } : {}),
    components,
    evaluations,
    safeguards: f.safeguards,
    ...(f.referenceModel || f.analysis ? { marginalRisk: { ...(f.referenceModel ? { referenceModel: f.referenceModel } : {}), ...(f.analysis ? { analysis: f.analysis } : {}) } } : {}),
    ...(f.rationale ? { rationale: f.rationale } : {}),
    ...(failureConditions.length ? { failureConditions } : {}),
  };
  return { doc, componentOrder, domainOrder };
};

export function AssessmentPage() {
  const { id = '' } = useParams();
  const loaded = useLoad(async () => {
    const c = await read(api.GET('/v1/cases/{id}', { params: { path: { id } } }));
    const [packId, version] = c.policyPack.split('@');
    const pack = await read(api.GET('/v1/policy-packs/{id}/versions/{version}', { params: { path: { id: packId!, version: version! } } })).catch(() => null);
    return { c, domains: pack?.domains ?? ['chem_bio', 'cyber', 'autonomy', 'persuasion'] };
  }, [id]);
  const title = loaded.data?.c.model ? `Assessment of ${loaded.data.c.model.name} ${loaded.data.c.model.version}` : 'Assessment';
  usePageTitle(title);

  if (!loaded.data) return loaded.error ? <ProblemMessage error={loaded.error} /> : <Loading what="the assessment" />;
  const { c, domains } = loaded.data;
  if (!EDITABLE.includes(c.state) || !c.allowedEvents.length) {
    return (
      <section>
        <h1>{title}</h1>
        <p>This case is {words(c.state)}: its assessment can be edited only in draft or when changes are requested.</p>
        <p><Link to={`/cases/${c.id}`}>Back to the case</Link></p>
      </section>
    );
  }
  return <AssessmentForm key={c.version} initial={c} domains={domains} title={title} />;
}

function AssessmentForm({ initial, domains, title }: { initial: CaseView; domains: string[]; title: string }) {
  const [form, setForm] = useState<FormState>(() => fromCase(initial, domains));
  const [caseView, setCaseView] = useState(initial);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [order, setOrder] = useState(() => toDocument(form));
  const [error, setError] = useState<Error | null>(null);
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);

  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const setComponent = (name: Component, patch: Partial<ComponentRow>) =>
    setForm((f) => ({ ...f, components: { ...f.components, [name]: { ...f.components[name], ...patch } } }));
  const setEvaluation = (domain: string, patch: Partial<EvaluationRow>) =>
    setForm((f) => ({ ...f, evaluations: { ...f.evaluations, [domain]: { ...f.evaluations[domain]!, ...patch } } }));
  const setSafeguard = (i: number, patch: Partial<SafeguardRow>) =>
    setForm((f) => ({ ...f, safeguards: f.safeguards.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));

  const at = (path: string) => errorsUnder(problems, path);
  const componentPath = (name: Component) => {
    const i = order.componentOrder.indexOf(name);
    return i < 0 ? '$.__none' : `$.components[${i}]`;
  };
  const evaluationPath = (domain: string) => {
    const i = order.domainOrder.indexOf(domain);
    return i < 0 ? '$.__none' : `$.evaluations[${i}]`;
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    const built = toDocument(form);
    setOrder(built);
    try {
      const checkpoint = form.checkpoint.trim().toLowerCase();
      if (checkpoint && checkpoint !== (caseView.model?.checkpointSha256 ?? '')) {
        await read(api.PATCH('/v1/cases/{id}/model', { params: { path: { id: caseView.id } }, body: { checkpointSha256: checkpoint } as never })).catch((e: unknown) => {
          // The model's problems are named under $.model so they sit next to the checkpoint field.
          if (e instanceof ApiError && e.problem.errors) e.problem.errors = e.problem.errors.map((p) => ({ ...p, path: p.path.replace(/^\$/, '$.model') }));
          throw e;
        });
      }
      const saved = await read(api.PUT('/v1/cases/{id}/assessment', { params: { path: { id: caseView.id } }, body: built.doc as never }));
      setCaseView(saved);
      setProblems([]);
      setSavedAt(new Date().toLocaleTimeString());
    } catch (e) {
      setError(e as Error);
      setProblems(e instanceof ApiError ? (e.problem.errors ?? []) : []);
    } finally {
      setSaving(false);
    }
  };

  const knownDomains = useMemo(() => Object.keys(form.evaluations), [form.evaluations]);

  return (
    <section aria-labelledby="assessment-heading">
      <h1 id="assessment-heading">{title}</h1>
      <p>
        Case state: <span className={`state state-${caseView.state}`}>{words(caseView.state)}</span> · policy pack {caseView.policyPack} ·{' '}
        <Link to={`/cases/${caseView.id}`}>Back to the case</Link>
      </p>
      <form onSubmit={(e) => void save(e)} noValidate className="assessment">
        {problems.length > 0 && (
          <div className="error" role="alert">
            <h2>The server found {problems.length} problem{problems.length === 1 ? '' : 's'}</h2>
            <p>Each is also shown next to its field.</p>
            <ul>{problems.map((p, i) => <li key={i}><code>{p.path}</code>: {p.message}</li>)}</ul>
          </div>
        )}
        {error && problems.length === 0 && <ProblemMessage error={error} />}

        <fieldset>
          <legend>1. Model version</legend>
          <p>{caseView.model?.name} {caseView.model?.version}</p>
          <div className="field">
            <label htmlFor="checkpoint">Checkpoint SHA-256</label>
            <input id="checkpoint" className="mono" value={form.checkpoint} onChange={(e) => set({ checkpoint: e.target.value })} aria-describedby="checkpoint-help" />
            <p id="checkpoint-help" className="help">64 hexadecimal characters; required to submit weights released above internal.</p>
            <FieldErrors problems={at('$.model')} />
          </div>
          <div className="field">
            <label htmlFor="summary">Summary: what the model is and does</label>
            <textarea id="summary" rows={2} value={form.summary} onChange={(e) => set({ summary: e.target.value })} />
            <FieldErrors problems={at('$.summary')} />
          </div>
          <div className="field">
            <label htmlFor="intended-use">Intended use: who will use it and for what</label>
            <textarea id="intended-use" rows={2} value={form.intendedUse} onChange={(e) => set({ intendedUse: e.target.value })} />
            <FieldErrors problems={at('$.intendedUse')} />
          </div>
        </fieldset>

        <fieldset>
          <legend>2. Release decision per component</legend>
          <p className="help">A component left withheld is not released. Gated components need at least one criterion and an approval mode.</p>
          <FieldErrors problems={problems.filter((p) => p.path === '$.components')} />
          <table className="components">
            <caption className="visually-hidden">The 17 components of the Model Openness Framework</caption>
            <thead>
              <tr><th scope="col">Component</th><th scope="col">Release</th><th scope="col">Gating criteria</th><th scope="col">Approval</th></tr>
            </thead>
            <tbody>
              {COMPONENTS.map((name) => {
                const row = form.components[name];
                const rowProblems = at(componentPath(name));
                return (
                  <tr key={name} className={rowProblems.length ? 'has-error' : undefined}>
                    <th scope="row">{words(name)}</th>
                    <td>
                      <label className="visually-hidden" htmlFor={`release-${name}`}>Release of {words(name)}</label>
                      <select id={`release-${name}`} value={row.release} onChange={(e) => setComponent(name, { release: e.target.value as ReleaseLevel })}>
                        {RELEASE_LEVELS.map((level) => <option key={level} value={level}>{words(level)}</option>)}
                      </select>
                      <FieldErrors problems={rowProblems} />
                    </td>
                    <td>
                      {row.release === 'gated' ? (
                        <fieldset className="inline">
                          <legend className="visually-hidden">Gating criteria of {words(name)}</legend>
                          {GATING_CRITERIA.map((criterion) => (
                            <label key={criterion} className="check">
                              <input
                                type="checkbox"
                                checked={row.criteria.includes(criterion)}
                                onChange={(e) => setComponent(name, { criteria: e.target.checked ? [...row.criteria, criterion] : row.criteria.filter((x) => x !== criterion) })}
                              />
                              {words(criterion)}
                            </label>
                          ))}
                        </fieldset>
                      ) : '—'}
                    </td>
                    <td>
                      {row.release === 'gated' ? (
                        <>
                          <label className="visually-hidden" htmlFor={`approval-${name}`}>Approval of {words(name)}</label>
                          <select id={`approval-${name}`} value={row.approval} onChange={(e) => setComponent(name, { approval: e.target.value as 'manual' | 'automatic' })}>
                            <option value="manual">manual</option>
                            <option value="automatic">automatic</option>
                          </select>
                        </>
                      ) : '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </fieldset>

        <fieldset>
          <legend>3. Evaluations, one per risk domain of the policy pack</legend>
          <FieldErrors problems={problems.filter((p) => p.path === '$.evaluations')} />
          <datalist id="evaluation-methods">
            {['benchmark', 'red_team', 'uplift_study', 'expert_review'].map((m) => <option key={m} value={m} />)}
          </datalist>
          {knownDomains.map((domain) => (
            <EvaluationFields
              key={domain}
              caseId={caseView.id}
              domain={domain}
              row={form.evaluations[domain]!}
              problems={at(evaluationPath(domain))}
              pathOf={(field) => at(`${evaluationPath(domain)}.${field}`)}
              onChange={(patch) => setEvaluation(domain, patch)}
            />
          ))}
        </fieldset>

        <fieldset>
          <legend>4. Safeguards</legend>
          <FieldErrors problems={problems.filter((p) => p.path === '$.safeguards')} />
          {form.safeguards.length === 0 && <p>No safeguards yet.</p>}
          {form.safeguards.map((s, i) => (
            <div className="group" key={i} role="group" aria-labelledby={`safeguard-${i}`}>
              <h3 id={`safeguard-${i}`}>Safeguard {i + 1}</h3>
              <div className="row">
                <div className="field">
                  <label htmlFor={`safeguard-${i}-kind`}>Kind</label>
                  <input id={`safeguard-${i}-kind`} list="safeguard-kinds" value={s.kind} onChange={(e) => setSafeguard(i, { kind: e.target.value })} />
                  <FieldErrors problems={at(`$.safeguards[${i}].kind`)} />
                </div>
                <div className="field">
                  <label htmlFor={`safeguard-${i}-risk`}>Residual risk</label>
                  <select id={`safeguard-${i}-risk`} value={s.residualRisk} onChange={(e) => setSafeguard(i, { residualRisk: e.target.value })}>
                    <option value="">choose…</option>
                    {['low', 'moderate', 'high', 'critical'].map((r) => <option key={r} value={r}>{r}</option>)}
                  </select>
                  <FieldErrors problems={at(`$.safeguards[${i}].residualRisk`)} />
                </div>
              </div>
              <div className="field">
                <label htmlFor={`safeguard-${i}-description`}>Description</label>
                <textarea id={`safeguard-${i}-description`} rows={2} value={s.description} onChange={(e) => setSafeguard(i, { description: e.target.value })} />
                <FieldErrors problems={at(`$.safeguards[${i}].description`)} />
              </div>
              <button type="button" className="secondary" onClick={() => set({ safeguards: form.safeguards.filter((_, j) => j !== i) })}>
                Remove safeguard {i + 1}
              </button>
            </div>
          ))}
          <datalist id="safeguard-kinds">
            {['deployment', 'access', 'monitoring', 'training', 'legal'].map((k) => <option key={k} value={k} />)}
          </datalist>
          <button type="button" className="secondary" onClick={() => set({ safeguards: [...form.safeguards, { kind: '', description: '', residualRisk: '' }] })}>
            Add a safeguard
          </button>
        </fieldset>

        <fieldset>
          <legend>5. Marginal risk, rationale and failure conditions</legend>
          <div className="field">
            <label htmlFor="reference-model">Reference model</label>
            <input id="reference-model" value={form.referenceModel} onChange={(e) => set({ referenceModel: e.target.value })} />
            <FieldErrors problems={at('$.marginalRisk.referenceModel')} />
          </div>
          <div className="field">
            <label htmlFor="marginal-analysis">Marginal risk analysis</label>
            <textarea id="marginal-analysis" rows={3} value={form.analysis} onChange={(e) => set({ analysis: e.target.value })} />
            <FieldErrors problems={[...problems.filter((p) => p.path === '$.marginalRisk'), ...at('$.marginalRisk.analysis')]} />
          </div>
          <div className="field">
            <label htmlFor="rationale">Rationale for this release decision</label>
            <textarea id="rationale" rows={3} value={form.rationale} onChange={(e) => set({ rationale: e.target.value })} />
            <FieldErrors problems={at('$.rationale')} />
          </div>
          <div className="field">
            <label htmlFor="failure-conditions">Failure conditions: evidence that would make this rationale wrong (one per line)</label>
            <textarea id="failure-conditions" rows={3} value={form.failureConditions} onChange={(e) => set({ failureConditions: e.target.value })} />
            <FieldErrors problems={at('$.failureConditions')} />
          </div>
        </fieldset>

        <div className="actions-bar">
          <button type="submit" disabled={saving}>{saving ? 'Saving…' : 'Save draft'}</button>
          <span role="status" aria-live="polite">{saving ? 'Saving the draft…' : savedAt ? `Draft saved at ${savedAt}.` : ''}</span>
          <Link to={`/cases/${caseView.id}`}>Back to the case</Link>
        </div>
      </form>
    </section>
  );
}

function EvaluationFields({ caseId, domain, row, problems, pathOf, onChange }: {
  caseId: string;
  domain: string;
  row: EvaluationRow;
  problems: FieldProblem[];
  pathOf: (field: string) => FieldProblem[];
  onChange: (patch: Partial<EvaluationRow>) => void;
}) {
  const [progress, setProgress] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<Error | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const base = `evaluation-${domain}`;
  const known = (p: FieldProblem) => /\.(method|tier|summary|evidenceIds)/.test(p.path);

  useEffect(() => setUploadError(null), [file]);

  const upload = async () => {
    if (!file) return;
    setProgress(0);
    try {
      const meta: EvidenceMeta = await uploadEvidence(caseId, file, setProgress);
      evidenceCache.set(meta.id, { sha256: meta.sha256, size: meta.size, name: file.name });
      onChange({ evidence: [...row.evidence, { id: meta.id, sha256: meta.sha256, size: meta.size, name: file.name }] });
      setFile(null);
    } catch (e) {
      setUploadError(e as Error);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div className="group" role="group" aria-labelledby={`${base}-heading`}>
      <h3 id={`${base}-heading`}>{words(domain)}</h3>
      <FieldErrors problems={problems.filter((p) => !known(p))} />
      <div className="row">
        <div className="field">
          <label htmlFor={`${base}-tier`}>Tier ({words(domain)})</label>
          <select id={`${base}-tier`} value={row.tier} onChange={(e) => onChange({ tier: e.target.value })}>
            <option value="">choose…</option>
            {ASSESSED_TIERS.map((t) => <option key={t} value={t}>{words(t)}</option>)}
          </select>
          <FieldErrors problems={pathOf('tier')} />
        </div>
        <div className="field">
          <label htmlFor={`${base}-method`}>Method ({words(domain)})</label>
          <input id={`${base}-method`} list="evaluation-methods" value={row.method} onChange={(e) => onChange({ method: e.target.value })} />
          <FieldErrors problems={pathOf('method')} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${base}-summary`}>Summary of the evaluation ({words(domain)})</label>
        <textarea id={`${base}-summary`} rows={2} value={row.summary} onChange={(e) => onChange({ summary: e.target.value })} />
        <FieldErrors problems={pathOf('summary')} />
      </div>
      <div className="evidence">
        <p><strong>Evidence</strong></p>
        {row.evidence.length === 0 ? <p>No evidence attached.</p> : (
          <ul aria-label={`Evidence for ${words(domain)}`}>
            {row.evidence.map((x) => (
              <li key={x.id}>
                {x.name ?? x.id}
                {x.size !== undefined && ` (${formatBytes(x.size)})`} — SHA-256 <code className="hash" data-testid="evidence-sha256">{x.sha256 ?? 'shown on the case page'}</code>{' '}
                <button type="button" className="link" onClick={() => onChange({ evidence: row.evidence.filter((y) => y.id !== x.id) })}>
                  Detach {x.name ?? 'file'}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="row">
          <div className="field">
            <label htmlFor={`${base}-file`}>Evidence file for {words(domain)}</label>
            <input id={`${base}-file`} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </div>
          <button type="button" className="secondary" disabled={!file || progress !== null} onClick={() => void upload()}>
            Upload evidence for {words(domain)}
          </button>
        </div>
        {progress !== null && (
          <div className="progress">
            <label htmlFor={`${base}-progress`}>Uploading {file?.name}</label>
            <progress id={`${base}-progress`} max={1} value={progress}>{Math.round(progress * 100)}%</progress>
            <span aria-live="polite">{Math.round(progress * 100)}%</span>
          </div>
        )}
        <FieldErrors problems={pathOf('evidenceIds')} />
        <ProblemMessage error={uploadError} />
      </div>
    </div>
  );
}
