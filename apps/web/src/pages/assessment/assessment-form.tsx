import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, api, read } from '../../api/client';
import type { CaseView } from '../../api/types';
import { evidenceCache } from '../../components/evidence-cache';
import { FieldErrors, errorsUnder, type FieldProblem } from '../../components/field-errors';
import { words } from '../../components/format';
import { ProblemMessage } from '../../components/problem';
import { ComponentsTable } from './components-table';
import { EvaluationFields } from './evaluation-fields';
import {
  componentPath, evaluationPath, fromCase, toDocument, withComponent, withEvaluation, withNewSafeguard, withSafeguard, withoutSafeguard,
  type FormState,
} from './form-state';
import { SafeguardsFieldset } from './safeguards-fieldset';
import { TextField } from './text-field';

const METHODS = ['benchmark', 'red_team', 'uplift_study', 'expert_review'];

/** Saves the model's checkpoint (when changed) and the assessment; a problem is shown beside its field. */
const save = async (caseView: CaseView, form: FormState, doc: ReturnType<typeof toDocument>['doc']): Promise<CaseView> => {
  const checkpoint = form.checkpoint.trim().toLowerCase();
  if (checkpoint && checkpoint !== (caseView.model?.checkpointSha256 ?? '')) {
    await read(api.PATCH('/v1/cases/{id}/model', { params: { path: { id: caseView.id } }, body: { checkpointSha256: checkpoint } })).catch((e: unknown) => {
      // The model's problems are named under $.model so they sit next to the checkpoint field.
      if (e instanceof ApiError && e.problem.errors) e.problem.errors = e.problem.errors.map((p) => ({ ...p, path: p.path.replace(/^\$/, '$.model') }));
      throw e;
    });
  }
  return read(api.PUT('/v1/cases/{id}/assessment', { params: { path: { id: caseView.id } }, body: doc }));
};

/** The five sections of the assessment, saved as a draft. */
export function AssessmentForm({ initial, domains, title }: { initial: CaseView; domains: string[]; title: string }) {
  const [form, setForm] = useState<FormState>(() => fromCase(initial, domains, evidenceCache.get));
  const [caseView, setCaseView] = useState(initial);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [sent, setSent] = useState(() => toDocument(form));
  const [error, setError] = useState<Error | null>(null);
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);

  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const at = (path: string | null) => (path === null ? [] : errorsUnder(problems, path));
  const exactly = (path: string) => problems.filter((p) => p.path === path);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    const built = toDocument(form);
    setSent(built);
    try {
      setCaseView(await save(caseView, form, built.doc));
      setProblems([]);
      setSavedAt(new Date().toLocaleTimeString());
    } catch (e) {
      setError(e as Error);
      setProblems(e instanceof ApiError ? (e.problem.errors ?? []) : []);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby="assessment-heading">
      <h1 id="assessment-heading">{title}</h1>
      <p>
        Case state: <span className={`state state-${caseView.state}`}>{words(caseView.state)}</span> · policy pack {caseView.policyPack} ·{' '}
        <Link to={`/cases/${caseView.id}`}>Back to the case</Link>
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate className="assessment">
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
          <TextField id="checkpoint" label="Checkpoint SHA-256" mono value={form.checkpoint} onChange={(checkpoint) => set({ checkpoint })} problems={at('$.model')}
            help="64 hexadecimal characters; required to submit weights released above internal." />
          <TextField id="summary" label="Summary: what the model is and does" rows={2} value={form.summary} onChange={(summary) => set({ summary })} problems={at('$.summary')} />
          <TextField id="intended-use" label="Intended use: who will use it and for what" rows={2} value={form.intendedUse} onChange={(intendedUse) => set({ intendedUse })} problems={at('$.intendedUse')} />
        </fieldset>

        <fieldset>
          <legend>2. Release decision per component</legend>
          <p className="help">A component left withheld is not released. Gated components need at least one criterion and an approval mode.</p>
          <FieldErrors problems={exactly('$.components')} />
          <ComponentsTable rows={form.components} problemsOf={(name) => at(componentPath(sent, name))} onChange={(name, patch) => setForm((f) => withComponent(f, name, patch))} />
        </fieldset>

        <fieldset>
          <legend>3. Evaluations, one per risk domain of the policy pack</legend>
          <FieldErrors problems={exactly('$.evaluations')} />
          <datalist id="evaluation-methods">
            {METHODS.map((m) => <option key={m} value={m} />)}
          </datalist>
          {Object.entries(form.evaluations).map(([domain, row]) => {
            const path = evaluationPath(sent, domain);
            return (
              <EvaluationFields key={domain} caseId={caseView.id} domain={domain} row={row} problems={at(path)}
                pathOf={(field) => (path === null ? [] : at(`${path}.${field}`))} onChange={(patch) => setForm((f) => withEvaluation(f, domain, patch))} />
            );
          })}
        </fieldset>

        <SafeguardsFieldset rows={form.safeguards} problems={problems}
          onChange={(i, patch) => setForm((f) => withSafeguard(f, i, patch))} onAdd={() => setForm(withNewSafeguard)} onRemove={(i) => setForm((f) => withoutSafeguard(f, i))} />

        <fieldset>
          <legend>5. Marginal risk, rationale and failure conditions</legend>
          <TextField id="reference-model" label="Reference model" value={form.referenceModel} onChange={(referenceModel) => set({ referenceModel })} problems={at('$.marginalRisk.referenceModel')} />
          <TextField id="marginal-analysis" label="Marginal risk analysis" rows={3} value={form.analysis} onChange={(analysis) => set({ analysis })}
            problems={[...exactly('$.marginalRisk'), ...at('$.marginalRisk.analysis')]} />
          <TextField id="rationale" label="Rationale for this release decision" rows={3} value={form.rationale} onChange={(rationale) => set({ rationale })} problems={at('$.rationale')} />
          <TextField id="failure-conditions" label="Failure conditions: evidence that would make this rationale wrong (one per line)" rows={3}
            value={form.failureConditions} onChange={(failureConditions) => set({ failureConditions })} problems={at('$.failureConditions')} />
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
