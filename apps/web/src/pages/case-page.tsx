import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api, read } from '../api/client';
import type { CaseView, HistoryItem } from '../api/types';
import { ActionsPanel } from '../components/actions';
import { EvidenceList } from '../components/evidence-list';
import { formatTime, timeLeft, words } from '../components/format';
import { Loading, ProblemMessage } from '../components/problem';
import { usePageTitle, useSession } from '../components/session';
import { Statechart } from '../components/statechart';
import { Timeline } from '../components/timeline';
import { useLoad } from '../components/use-load';

const loadHistory = async (id: string): Promise<HistoryItem[]> => {
  const items: HistoryItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(api.GET('/v1/cases/{id}/history', { params: { path: { id }, query: { limit: 200, cursor } } }));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
};

export function CasePage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const caseLoad = useLoad(() => read(api.GET('/v1/cases/{id}', { params: { path: { id } } })), [id]);
  const c = caseLoad.data;
  const history = useLoad(
    async () => (c ? { items: await loadHistory(id), verification: await read(api.GET('/v1/cases/{id}/history/verify', { params: { path: { id } } })) } : null),
    [id, c?.version],
  );
  const auditors = useLoad(
    async () => (me.role === 'regulator' ? (await read(api.GET('/v1/auditors', { params: { query: {} } }))).items : []),
    [me.role],
  );
  usePageTitle(c?.model ? `${c.model.name} ${c.model.version}` : 'Case');

  // Intake runs in the worker: poll until it has decided.
  const screening = c?.state === 'intake';
  useEffect(() => {
    if (!screening) return;
    const timer = setInterval(() => void caseLoad.reload(), 1000);
    return () => clearInterval(timer);
  }, [screening, caseLoad.reload]);

  if (!c) {
    if (caseLoad.error instanceof ApiError && caseLoad.error.status === 404) {
      return (
        <section>
          <h1>Case not found</h1>
          <p>There is no such case, or you may not see it.</p>
          <p><Link to="/">Back to the start page</Link></p>
        </section>
      );
    }
    return caseLoad.error ? <ProblemMessage error={caseLoad.error} /> : <Loading what="the case" />;
  }

  const items = history.data?.items ?? [];
  const lastOf = (type: string) => [...items].reverse().find((i) => i.type === type);
  const intakeFailed = lastOf('INTAKE_FAILED');
  const showIntakeReasons = intakeFailed && ['draft', 'changes_requested'].includes(c.state) && intakeFailed.seq === Math.max(...items.filter((i) => ['INTAKE_FAILED', 'INTAKE_PASSED'].includes(i.type)).map((i) => i.seq));
  const requests = items.filter((i) => ['REQUEST_INFO', 'PROVIDE_INFO', 'REQUEST_CHANGES', 'REQUIRE_CHANGES'].includes(i.type));
  const nameOf = (auditorId: string) => (auditorId === me.id ? `${me.displayName} (you)` : (auditors.data?.find((a) => a.id === auditorId)?.displayName ?? `auditor ${auditorId.slice(0, 8)}`));
  const editable = me.role === 'developer' && ['draft', 'changes_requested'].includes(c.state) && c.allowedEvents.length > 0;

  return (
    <article aria-labelledby="case-heading" className="case">
      <header className="case-header">
        <h1 id="case-heading">{c.model ? `${c.model.name} ${c.model.version}` : 'Case'}</h1>
        <dl className="facts">
          <div><dt>State</dt><dd><span className={`state state-${c.state}`} data-testid="case-state">{words(c.state)}</span></dd></div>
          <div><dt>Tier</dt><dd>{words(c.tier)}</dd></div>
          <div><dt>Revision</dt><dd>{c.revision}</dd></div>
          <div><dt>Revision hash</dt><dd><code className="hash" data-testid="revision-hash">{c.revisionHash ?? 'not submitted yet'}</code></dd></div>
          <div><dt>Policy pack</dt><dd>{c.policyPack}</dd></div>
          <div><dt>Checkpoint SHA-256</dt><dd><code className="hash">{c.model?.checkpointSha256 ?? '—'}</code></dd></div>
          {c.releasedAt && <div><dt>Released</dt><dd>{formatTime(c.releasedAt)}</dd></div>}
        </dl>
        {screening && (
          <p role="status" className="progress-note"><span className="spinner" aria-hidden="true" /> Intake screening against the policy pack is running…</p>
        )}
        {editable && <p><Link className="button" to={`/cases/${c.id}/assessment`}>Edit the assessment</Link></p>}
      </header>

      {showIntakeReasons && (
        <section aria-labelledby="intake-heading" className="error">
          <h2 id="intake-heading">Intake sent the case back</h2>
          <ul>
            {((intakeFailed.payload.reasons as Array<{ message: string; path?: string }>) ?? []).map((r, i) => <li key={i}>{r.message}</li>)}
          </ul>
        </section>
      )}

      <ActionsPanel caseView={c} role={me.role} onDone={(updated) => caseLoad.setData(updated)} />

      <section aria-labelledby="deadlines-heading">
        <h2 id="deadlines-heading">Open deadlines</h2>
        {c.deadlines.length === 0 ? <p>No open deadline.</p> : (
          <ul>
            {c.deadlines.map((d) => (
              <li key={d.id}>
                <strong>{words(d.kind)}</strong>: due {formatTime(d.dueAt)} — {timeLeft(d.dueAt, d.pausedAt)}
                {d.escalatedAt && <span className="error-text"> (escalated {formatTime(d.escalatedAt)})</span>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="findings-heading">
        <h2 id="findings-heading">Findings</h2>
        {c.findings.length === 0 ? <p>No findings.</p> : (
          <table>
            <caption className="visually-hidden">Findings raised by auditors</caption>
            <thead><tr><th scope="col">Severity</th><th scope="col">Finding</th><th scope="col">Concerns</th><th scope="col">Status</th><th scope="col">Response</th></tr></thead>
            <tbody>
              {c.findings.map((f) => (
                <tr key={f.id}>
                  <td><span className={`severity severity-${f.severity}`}>{f.severity}</span></td>
                  <td><strong>{f.title}</strong><br />{f.detail}<br /><small>revision {f.revision}</small></td>
                  <td>{[f.component, f.domain].filter(Boolean).map((x) => words(x)).join(', ') || '—'}</td>
                  <td>{f.status}</td>
                  <td>{f.response ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="requests-heading">
        <h2 id="requests-heading">Information and change requests</h2>
        {requests.length === 0 ? <p>None.</p> : (
          <ul>
            {requests.map((r) => (
              <li key={r.seq}>
                <strong>{words(r.type)}</strong> ({formatTime(r.at)}): {String(r.payload.question ?? r.payload.answer ?? r.payload.summary ?? '')}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading">Auditors and opinions</h2>
        {c.assignments.length === 0 ? <p>No auditor assigned yet.</p> : (
          <ul>
            {c.assignments.map((a) => (
              <li key={`${a.auditorId}-${a.assignedAt}`}>
                {nameOf(a.auditorId)}: assigned {formatTime(a.assignedAt)}{a.unassignedAt ? `, unassigned ${formatTime(a.unassignedAt)}` : ''}
              </li>
            ))}
          </ul>
        )}
        {c.opinions.length > 0 && (
          <table>
            <caption>Opinions</caption>
            <thead><tr><th scope="col">Auditor</th><th scope="col">Opinion</th><th scope="col">Basis and conditions</th><th scope="col">Revision hash</th><th scope="col">Issued</th></tr></thead>
            <tbody>
              {c.opinions.map((o) => (
                <tr key={`${o.auditorId}-${o.revisionHash}`}>
                  <td>{nameOf(o.auditorId)}</td>
                  <td>{o.kind}, {o.assurance} assurance</td>
                  <td>{o.basis ?? '—'}{o.conditions.length > 0 && <ul>{o.conditions.map((k, i) => <li key={i}>{k.text}{k.component ? ` (${words(k.component)}${k.maxRelease ? ` at most ${words(k.maxRelease)}` : ''})` : ''}</li>)}</ul>}</td>
                  <td><code className="hash">{o.revisionHash.slice(0, 16)}…</code></td>
                  <td>{formatTime(o.issuedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <AssessmentView caseView={c} />
      <EvidenceList caseId={c.id} assessment={c.assessment} />
      {history.data ? <Timeline items={history.data.items} verification={history.data.verification} /> : history.error ? <ProblemMessage error={history.error} /> : <Loading what="the timeline" />}
      <Statechart current={c.state} />
    </article>
  );
}

function AssessmentView({ caseView: c }: { caseView: CaseView }) {
  const a = c.assessment;
  return (
    <section aria-labelledby="assessment-view-heading">
      <h2 id="assessment-view-heading">Assessment{c.revision > 0 ? ` (revision ${c.revision})` : ' (draft)'}</h2>
      {!a ? <p>No assessment yet.</p> : (
        <>
          <dl className="prose">
            <dt>Summary</dt><dd>{a.summary ?? '—'}</dd>
            <dt>Intended use</dt><dd>{a.intendedUse ?? '—'}</dd>
            <dt>Rationale</dt><dd>{a.rationale ?? '—'}</dd>
            <dt>Marginal risk</dt><dd>{a.marginalRisk ? `${a.marginalRisk.referenceModel ?? '—'}: ${a.marginalRisk.analysis ?? '—'}` : '—'}</dd>
          </dl>
          <h3>Components (others withheld)</h3>
          <table>
            <caption className="visually-hidden">Release decision per component</caption>
            <thead><tr><th scope="col">Component</th><th scope="col">Release</th><th scope="col">Gating</th></tr></thead>
            <tbody>
              {(a.components ?? []).map((x) => (
                <tr key={x.component}>
                  <td>{words(x.component)}</td>
                  <td>{words(x.release)}</td>
                  <td>{x.gating ? `${x.gating.criteria.map(words).join(', ')}; ${x.gating.approval} approval` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Evaluations</h3>
          <table>
            <caption className="visually-hidden">Evaluations per risk domain</caption>
            <thead><tr><th scope="col">Domain</th><th scope="col">Tier</th><th scope="col">Method</th><th scope="col">Summary</th><th scope="col">Evidence files</th></tr></thead>
            <tbody>
              {(a.evaluations ?? []).map((e) => (
                <tr key={e.domain}>
                  <td>{words(e.domain)}</td>
                  <td>{words(e.tier)}</td>
                  <td>{words(e.method)}</td>
                  <td>{e.summary}</td>
                  <td>{e.evidenceIds?.length ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Safeguards</h3>
          {(a.safeguards ?? []).length === 0 ? <p>None.</p> : (
            <ul>{(a.safeguards ?? []).map((s, i) => <li key={i}><strong>{s.kind}</strong>: {s.description} (residual risk {s.residualRisk})</li>)}</ul>
          )}
          <h3>Failure conditions</h3>
          {(a.failureConditions ?? []).length === 0 ? <p>None.</p> : <ul>{(a.failureConditions ?? []).map((f, i) => <li key={i}>{f}</li>)}</ul>}
        </>
      )}
    </section>
  );
}
