import type { CaseView, HistoryItem, Me } from '../../api/types';
import { formatTime, timeLeft, words } from '../../components/format';

export function DeadlinesSection({ caseView: c }: { caseView: CaseView }) {
  return (
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
  );
}

export function FindingsSection({ caseView: c }: { caseView: CaseView }) {
  return (
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
  );
}

const REQUESTS = ['REQUEST_INFO', 'PROVIDE_INFO', 'REQUEST_CHANGES', 'REQUIRE_CHANGES'];

export function RequestsSection({ history }: { history: readonly HistoryItem[] }) {
  const requests = history.filter((i) => REQUESTS.includes(i.type));
  return (
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
  );
}

/** Assignments and opinions; auditors are named from the list regulators may read, else by id. */
export function AuditSection({ caseView: c, me, auditorNames }: { caseView: CaseView; me: Me; auditorNames: ReadonlyMap<string, string> }) {
  const nameOf = (auditorId: string) => (auditorId === me.id ? `${me.displayName} (you)` : (auditorNames.get(auditorId) ?? `auditor ${auditorId.slice(0, 8)}`));
  return (
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
  );
}
