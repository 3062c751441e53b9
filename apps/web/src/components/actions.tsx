import { useState, type FormEvent, type ReactNode } from 'react';
import { api, fireEvent, read } from '../api/client';
import { COMPONENTS, RELEASE_LEVELS, SEVERITIES, type AuditorOption, type CaseView, type Role } from '../api/types';
import { words } from './format';
import { ProblemMessage } from './problem';
import { useLoad } from './use-load';

/** Button labels for the events people fire (system events never reach allowedEvents). */
export const EVENT_LABELS: Record<string, string> = {
  SUBMIT: 'Submit for intake',
  RESUBMIT: 'Resubmit',
  AMEND: 'Amend',
  WITHDRAW: 'Withdraw',
  ASSIGN_AUDITOR: 'Assign auditor',
  REASSIGN_AUDITOR: 'Reassign auditor',
  DECLARE_CONFLICT: 'Declare conflict',
  ADD_FINDING: 'Add finding',
  RESOLVE_FINDING: 'Resolve finding',
  RESPOND_FINDING: 'Respond to finding',
  REQUEST_INFO: 'Request information',
  PROVIDE_INFO: 'Provide information',
  REQUEST_CHANGES: 'Request changes',
  APPROVE: 'Sign off',
  FLAG: 'Flag',
  CLEAR: 'Clear',
  REQUIRE_CHANGES: 'Require changes',
  HOLD: 'Hold',
  RECORD_RELEASE: 'Record release',
  REQUIRE_REASSESSMENT: 'Require reassessment',
  REVOKE: 'Revoke',
};

interface FieldSpec {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'select';
  options?: Array<{ value: string; label: string }>;
  required?: boolean;
}

const opts = (values: readonly string[]) => values.map((v) => ({ value: v, label: words(v) }));

/** Events whose payload is a few plain fields. */
const simpleFields = (type: string, c: CaseView, role: Role): FieldSpec[] | null => {
  const findings = (statuses: string[]) => c.findings.filter((f) => statuses.includes(f.status)).map((f) => ({ value: f.id, label: `${f.severity}: ${f.title} (${f.status})` }));
  switch (type) {
    case 'SUBMIT':
    case 'RESUBMIT':
    case 'AMEND':
      return [];
    case 'WITHDRAW':
      return [{ name: 'reason', label: 'Reason (optional)', kind: 'textarea' }];
    case 'REQUEST_INFO':
      return [{ name: 'question', label: 'Question for the developer', kind: 'textarea', required: true }];
    case 'PROVIDE_INFO':
      return [{ name: 'answer', label: 'Answer', kind: 'textarea', required: true }];
    case 'REQUEST_CHANGES':
    case 'REQUIRE_CHANGES':
      return [{ name: 'summary', label: 'Changes needed', kind: 'textarea', required: true }];
    case 'CLEAR':
      return [{ name: 'note', label: 'Note', kind: 'textarea', required: true }];
    case 'HOLD':
    case 'REQUIRE_REASSESSMENT':
    case 'REVOKE':
      return [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true }];
    case 'ADD_FINDING':
      return [
        { name: 'severity', label: 'Severity', kind: 'select', options: opts(SEVERITIES), required: true },
        { name: 'title', label: 'Title', kind: 'text', required: true },
        { name: 'detail', label: 'Detail', kind: 'textarea', required: true },
        { name: 'component', label: 'Component (optional)', kind: 'select', options: opts(COMPONENTS) },
        { name: 'domain', label: 'Domain (optional)', kind: 'select', options: opts((c.assessment?.evaluations ?? []).map((e) => e.domain)) },
      ];
    case 'RESOLVE_FINDING':
      return [
        { name: 'findingId', label: 'Finding', kind: 'select', options: findings(['open', 'responded']), required: true },
        { name: 'note', label: 'Resolution note', kind: 'textarea', required: true },
      ];
    case 'RESPOND_FINDING':
      return [
        { name: 'findingId', label: 'Finding', kind: 'select', options: findings(['open', 'responded']), required: true },
        { name: 'response', label: 'Response', kind: 'textarea', required: true },
      ];
    case 'DECLARE_CONFLICT':
      return [
        { name: 'kind', label: 'Kind of conflict', kind: 'select', options: opts(['financial', 'operational', 'management', 'personal']), required: true },
        { name: 'scope', label: 'Scope', kind: 'select', options: opts(['individual', 'firm']), required: true },
        { name: 'reason', label: 'Reason', kind: 'textarea', required: true },
      ];
    case 'FLAG':
      return role === 'auditor'
        ? [
            { name: 'reason', label: 'Reason (the basis of your opinion)', kind: 'textarea', required: true },
            { name: 'opinion', label: 'Opinion (optional)', kind: 'select', options: opts(['adverse', 'disclaimer']) },
            { name: 'assurance', label: 'Assurance (optional)', kind: 'select', options: opts(['reasonable', 'limited']) },
          ]
        : [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true }];
    default:
      return null;
  }
};

type Done = (updated: CaseView) => void;

/** Exactly the caller's allowedEvents, as buttons; each opens the form for its payload. */
export function ActionsPanel({ caseView, role, onDone }: { caseView: CaseView; role: Role; onDone: Done }) {
  const [open, setOpen] = useState<string | null>(null);
  const events = caseView.allowedEvents;
  return (
    <section aria-labelledby="actions-heading" className="actions">
      <h2 id="actions-heading">Your actions</h2>
      {events.length === 0 ? <p>There is nothing for you to do on this case in its current state.</p> : (
        <div className="button-row" role="group" aria-label="Actions you may take">
          {events.map((type) => (
            <button
              key={type}
              type="button"
              className={open === type ? 'active' : undefined}
              aria-expanded={open === type}
              aria-controls={`action-${type}`}
              onClick={() => setOpen(open === type ? null : type)}
            >
              {EVENT_LABELS[type] ?? words(type)}
            </button>
          ))}
        </div>
      )}
      {open && (events as string[]).includes(open) && (
        <div id={`action-${open}`} className="action-form">
          <ActionForm key={`${open}-${caseView.version}`} type={open} caseView={caseView} role={role} onDone={(c) => { setOpen(null); onDone(c); }} onCancel={() => setOpen(null)} />
        </div>
      )}
    </section>
  );
}

function ActionForm({ type, caseView, role, onDone, onCancel }: { type: string; caseView: CaseView; role: Role; onDone: Done; onCancel: () => void }) {
  switch (type) {
    case 'ASSIGN_AUDITOR':
    case 'REASSIGN_AUDITOR':
      return <AssignForm type={type} caseView={caseView} onDone={onDone} onCancel={onCancel} />;
    case 'APPROVE':
      return <ApproveForm caseView={caseView} onDone={onDone} onCancel={onCancel} />;
    case 'RECORD_RELEASE':
      return <ReleaseForm caseView={caseView} onDone={onDone} onCancel={onCancel} />;
    default:
      return <SimpleForm type={type} fields={simpleFields(type, caseView, role) ?? []} caseView={caseView} onDone={onDone} onCancel={onCancel} />;
  }
}

/** A titled form that fires `type` with the payload `build()` returns. */
function EventFormShell({ type, caseView, build, onDone, onCancel, children, intro }: {
  type: string;
  caseView: CaseView;
  build: () => Record<string, unknown>;
  onDone: Done;
  onCancel: () => void;
  children?: ReactNode;
  intro?: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const label = EVENT_LABELS[type] ?? words(type);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await fireEvent(caseView.id, type, build()));
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`form-${type}`} className="stack">
      <h3 id={`form-${type}`}>{label}</h3>
      {intro}
      {children}
      <div className="button-row">
        <button type="submit" disabled={busy}>{busy ? `${label}…` : `Confirm: ${label}`}</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
      <ProblemMessage error={error} />
    </form>
  );
}

function SimpleForm({ type, fields, caseView, onDone, onCancel }: { type: string; fields: FieldSpec[]; caseView: CaseView; onDone: Done; onCancel: () => void }) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, f.kind === 'select' && f.required ? (f.options?.[0]?.value ?? '') : ''])),
  );
  const build = () => Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
  const intro = fields.length === 0 ? <p>{type === 'SUBMIT' || type === 'RESUBMIT' ? 'The current assessment becomes a new immutable revision and goes to automated intake screening.' : 'Please confirm.'}</p> : undefined;
  return (
    <EventFormShell type={type} caseView={caseView} build={build} onDone={onDone} onCancel={onCancel} intro={intro}>
      {fields.map((f) => {
        const id = `${type}-${f.name}`;
        const set = (v: string) => setValues((s) => ({ ...s, [f.name]: v }));
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>{f.label}</label>
            {f.kind === 'textarea' ? (
              <textarea id={id} rows={3} required={f.required} value={values[f.name]} onChange={(e) => set(e.target.value)} />
            ) : f.kind === 'select' ? (
              <select id={id} required={f.required} value={values[f.name]} onChange={(e) => set(e.target.value)}>
                {!f.required && <option value="">none</option>}
                {f.options?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
            ) : (
              <input id={id} required={f.required} value={values[f.name]} onChange={(e) => set(e.target.value)} />
            )}
          </div>
        );
      })}
    </EventFormShell>
  );
}

/** Only auditors the server says it would accept are offered. */
function AssignForm({ type, caseView, onDone, onCancel }: { type: 'ASSIGN_AUDITOR' | 'REASSIGN_AUDITOR'; caseView: CaseView; onDone: Done; onCancel: () => void }) {
  const auditors = useLoad(() => read(api.GET('/v1/auditors', { params: { query: { caseId: caseView.id } } })), [caseView.id, caseView.version]);
  const assigned = caseView.assignments.filter((a) => !a.unassignedAt).map((a) => a.auditorId);
  const all = auditors.data?.items ?? [];
  // ASSIGN offers what the server marks assignable; REASSIGN replaces in a state ASSIGN does not accept,
  // so it offers the auditors whose only objection is that state.
  const candidates = all.filter((a) =>
    type === 'ASSIGN_AUDITOR' ? a.assignable : !assigned.includes(a.id) && (a.reasons ?? []).every((r) => r.rule === 'state-accepts'),
  );
  const refused = all.filter((a) => !candidates.includes(a) && !assigned.includes(a.id));
  const nameOf = (id: string) => all.find((a) => a.id === id)?.displayName ?? id;
  const [to, setTo] = useState('');
  const [from, setFrom] = useState(assigned[0] ?? '');
  const label = (a: AuditorOption) => `${a.displayName} (${a.organisationName ?? a.organisationId})`;
  return (
    <EventFormShell
      type={type}
      caseView={caseView}
      build={() => (type === 'ASSIGN_AUDITOR' ? { auditorId: to || candidates[0]?.id } : { fromAuditorId: from, toAuditorId: to || candidates[0]?.id })}
      onDone={onDone}
      onCancel={onCancel}
    >
      {/* Never offer from a list loaded before the case last changed: the server's answer may differ now. */}
      {auditors.loading && <p role="status">Loading auditors…</p>}
      <ProblemMessage error={auditors.error} />
      {type === 'REASSIGN_AUDITOR' && (
        <div className="field">
          <label htmlFor="reassign-from">Auditor to replace</label>
          <select id="reassign-from" value={from} onChange={(e) => setFrom(e.target.value)}>
            {assigned.map((id) => <option key={id} value={id}>{nameOf(id)}</option>)}
          </select>
        </div>
      )}
      {auditors.data && !auditors.loading && (candidates.length === 0 ? <p>No auditor can be assigned now.</p> : (
        <div className="field">
          <label htmlFor={`${type}-auditor`}>{type === 'ASSIGN_AUDITOR' ? 'Auditor to assign' : 'Replacement auditor'}</label>
          <select id={`${type}-auditor`} value={to || candidates[0]?.id} onChange={(e) => setTo(e.target.value)}>
            {candidates.map((a) => <option key={a.id} value={a.id}>{label(a)}</option>)}
          </select>
        </div>
      ))}
      {refused.length > 0 && !auditors.loading && (
        <details>
          <summary>Auditors who cannot be assigned, and why ({refused.length})</summary>
          <ul>
            {refused.map((a) => <li key={a.id}>{label(a)}: {(a.reasons ?? []).map((r) => r.message).join('; ')}</li>)}
          </ul>
        </details>
      )}
    </EventFormShell>
  );
}

interface ConditionRow { text: string; component: string; maxRelease: string }

function ApproveForm({ caseView, onDone, onCancel }: { caseView: CaseView; onDone: Done; onCancel: () => void }) {
  const [opinion, setOpinion] = useState('unmodified');
  const [assurance, setAssurance] = useState('reasonable');
  const [basis, setBasis] = useState('');
  const [conditions, setConditions] = useState<ConditionRow[]>([]);
  const setCondition = (i: number, patch: Partial<ConditionRow>) => setConditions((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const build = () => ({
    revisionHash: caseView.revisionHash,
    opinion,
    assurance,
    ...(basis.trim() ? { basis: basis.trim() } : {}),
    conditions: conditions.map((c) => ({ text: c.text, ...(c.component ? { component: c.component } : {}), ...(c.maxRelease ? { maxRelease: c.maxRelease } : {}) })),
  });
  return (
    <EventFormShell type="APPROVE" caseView={caseView} build={build} onDone={onDone} onCancel={onCancel}
      intro={<p>You sign revision {caseView.revision}, hash <code className="hash">{caseView.revisionHash}</code>.</p>}>
      <div className="row">
        <div className="field">
          <label htmlFor="approve-opinion">Opinion</label>
          <select id="approve-opinion" value={opinion} onChange={(e) => setOpinion(e.target.value)}>
            <option value="unmodified">unmodified</option>
            <option value="qualified">qualified</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="approve-assurance">Assurance</label>
          <select id="approve-assurance" value={assurance} onChange={(e) => setAssurance(e.target.value)}>
            <option value="reasonable">reasonable</option>
            <option value="limited">limited</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="approve-basis">Basis {opinion === 'unmodified' ? '(optional)' : '(required for a qualified opinion)'}</label>
        <textarea id="approve-basis" rows={3} required={opinion !== 'unmodified'} value={basis} onChange={(e) => setBasis(e.target.value)} />
      </div>
      <fieldset>
        <legend>Conditions</legend>
        {conditions.length === 0 && <p>No conditions.</p>}
        {conditions.map((c, i) => (
          <div className="row" key={i} role="group" aria-label={`Condition ${i + 1}`}>
            <div className="field">
              <label htmlFor={`condition-${i}-text`}>Text of condition {i + 1}</label>
              <input id={`condition-${i}-text`} required value={c.text} onChange={(e) => setCondition(i, { text: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`condition-${i}-component`}>Component of condition {i + 1}</label>
              <select id={`condition-${i}-component`} value={c.component} onChange={(e) => setCondition(i, { component: e.target.value })}>
                <option value="">any</option>
                {COMPONENTS.map((x) => <option key={x} value={x}>{words(x)}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`condition-${i}-max`}>Most open release under condition {i + 1}</label>
              <select id={`condition-${i}-max`} value={c.maxRelease} onChange={(e) => setCondition(i, { maxRelease: e.target.value })}>
                <option value="">no limit</option>
                {RELEASE_LEVELS.map((x) => <option key={x} value={x}>{words(x)}</option>)}
              </select>
            </div>
            <button type="button" className="secondary" onClick={() => setConditions((cs) => cs.filter((_, j) => j !== i))}>Remove condition {i + 1}</button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setConditions((cs) => [...cs, { text: '', component: '', maxRelease: '' }])}>Add a condition</button>
      </fieldset>
    </EventFormShell>
  );
}

interface ReleaseRow { include: boolean; release: string; location: string; sha256: string }

function ReleaseForm({ caseView, onDone, onCancel }: { caseView: CaseView; onDone: Done; onCancel: () => void }) {
  const assessed = (caseView.assessment?.components ?? []).filter((c) => c.release !== 'withheld');
  const [rows, setRows] = useState<Record<string, ReleaseRow>>(() =>
    Object.fromEntries(assessed.map((c) => [c.component, { include: true, release: c.release, location: '', sha256: c.component === 'model_parameters' ? (caseView.model?.checkpointSha256 ?? '') : '' }])),
  );
  const setRow = (component: string, patch: Partial<ReleaseRow>) => setRows((r) => ({ ...r, [component]: { ...r[component]!, ...patch } }));
  const build = () => ({
    components: assessed
      .filter((c) => rows[c.component]!.include)
      .map((c) => {
        const row = rows[c.component]!;
        return {
          component: c.component,
          release: row.release,
          location: row.location.trim(),
          ...(row.release === 'gated' && c.gating ? { gating: c.gating } : {}),
          ...(row.sha256.trim() ? { sha256: row.sha256.trim() } : {}),
        };
      }),
  });
  return (
    <EventFormShell type="RECORD_RELEASE" caseView={caseView} build={build} onDone={onDone} onCancel={onCancel}
      intro={<p>Record where each component was released. Nothing may be more open, or more weakly gated, than cleared.</p>}>
      {assessed.map((c) => {
        const row = rows[c.component]!;
        const base = `release-${c.component}`;
        return (
          <fieldset key={c.component}>
            <legend>{words(c.component)} (assessed: {words(c.release)}{c.gating ? `, ${c.gating.criteria.map(words).join(', ')}, ${c.gating.approval} approval` : ''})</legend>
            <label className="check"><input type="checkbox" checked={row.include} onChange={(e) => setRow(c.component, { include: e.target.checked })} /> Released</label>
            {row.include && (
              <div className="row">
                <div className="field">
                  <label htmlFor={`${base}-level`}>Release level of {words(c.component)}</label>
                  <select id={`${base}-level`} value={row.release} onChange={(e) => setRow(c.component, { release: e.target.value })}>
                    {RELEASE_LEVELS.filter((l) => l !== 'withheld').map((l) => <option key={l} value={l}>{words(l)}</option>)}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`${base}-location`}>Location of {words(c.component)}</label>
                  <input id={`${base}-location`} type="url" required value={row.location} onChange={(e) => setRow(c.component, { location: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${base}-sha`}>SHA-256 of {words(c.component)}{c.component === 'model_parameters' ? '' : ' (optional)'}</label>
                  <input id={`${base}-sha`} className="mono" value={row.sha256} onChange={(e) => setRow(c.component, { sha256: e.target.value })} />
                </div>
              </div>
            )}
          </fieldset>
        );
      })}
    </EventFormShell>
  );
}
