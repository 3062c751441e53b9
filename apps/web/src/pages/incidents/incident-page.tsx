import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api, fireEvent, read } from '../../api/client';
import { formatTime, timeLeft, words } from '../../components/format';
import { Loading, ProblemMessage } from '../../components/problem';
import { usePageTitle, useSession } from '../../components/session';
import { useLoad } from '../../components/use-load';
import { addIncidentUpdate, closeIncident, type Incident } from './incident-api';

/** One incident: its clocks, updates and closing; the developer adds updates, a regulator acts on it. */
export function IncidentPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const load = useLoad(useCallback((signal: AbortSignal) => read(api.GET('/v1/incidents/{id}', { params: { path: { id } }, signal })), [id]));
  usePageTitle('Incident');
  const incident = load.data;
  if (!incident) {
    if (load.error instanceof ApiError && load.error.status === 404)
      return <section><h1>Incident not found</h1><p>There is no such incident, or you may not see it.</p><p><Link to="/">Back to the start page</Link></p></section>;
    return load.error ? <ProblemMessage error={load.error} /> : <Loading what="the incident" />;
  }
  const deadline = incident.finalReportDeadline;
  const open = incident.status === 'open';
  return (
    <article aria-labelledby="incident-heading">
      <h1 id="incident-heading">Incident: {words(incident.category)}</h1>
      <p><Link to={`/cases/${incident.caseId}`}>Back to the case</Link></p>
      <dl className="facts">
        <div><dt>Status</dt><dd data-testid="incident-status">{incident.status}</dd></div>
        <div><dt>Occurred</dt><dd>{formatTime(incident.occurredAt)}</dd></div>
        <div><dt>Aware</dt><dd>{formatTime(incident.awareAt)}</dd></div>
        <div><dt>Report due</dt><dd>{formatTime(incident.reportDueAt)}</dd></div>
        <div><dt>Reported</dt><dd>{formatTime(incident.reportedAt)}{incident.reportedLate && <strong> — late</strong>}</dd></div>
        <div>
          <dt>Final report due</dt>
          <dd>
            {formatTime(incident.finalReportDueAt)}
            {incident.finalReportAt ? ` — received ${formatTime(incident.finalReportAt)}` : deadline && !deadline.closedAt ? ` (${deadline.escalatedAt ? 'overdue, escalated' : timeLeft(deadline.dueAt)})` : ''}
          </dd>
        </div>
        {incident.closedAt && <div><dt>Closed</dt><dd>{formatTime(incident.closedAt)}: {incident.closeNote}</dd></div>}
      </dl>
      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <p>{incident.summary}</p>
      </section>
      <section aria-labelledby="updates-heading">
        <h2 id="updates-heading">Updates</h2>
        {incident.updates.length === 0 ? <p>No update yet.</p> : (
          <ol>{incident.updates.map((u) => <li key={u.id}><strong>{formatTime(u.at)}{u.final ? ' — final report' : ''}</strong>: {u.text}</li>)}</ol>
        )}
      </section>
      {open && me.role === 'developer' && <UpdateForm incident={incident} onDone={load.setData} />}
      {open && me.role === 'regulator' && <RegulatorActions incident={incident} onDone={load.setData} onCaseChanged={() => void load.reload()} />}
    </article>
  );
}

function Form({ title, submitLabel, onSubmit, children }: { title: string; submitLabel: string; onSubmit: () => Promise<void>; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const slug = title.toLowerCase().replace(/\W+/g, '-');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
    } catch (e) {
      setError(e as Error);
    }
    setBusy(false);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`${slug}-heading`} className="stack">
      <h3 id={`${slug}-heading`}>{title}</h3>
      {children}
      <div className="button-row"><button type="submit" disabled={busy}>{submitLabel}</button></div>
      <ProblemMessage error={error} />
    </form>
  );
}

function UpdateForm({ incident, onDone }: { incident: Incident; onDone: (updated: Incident) => void }) {
  const [text, setText] = useState('');
  const [final, setFinal] = useState(false);
  return (
    <Form title="Add an update" submitLabel="Send the update" onSubmit={async () => { onDone(await addIncidentUpdate(incident.id, { text, final })); setText(''); setFinal(false); }}>
      <div className="field">
        <label htmlFor="update-text">Update</label>
        <textarea id="update-text" rows={3} required value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <div className="field">
        <label><input type="checkbox" checked={final} onChange={(e) => setFinal(e.target.checked)} /> This is the final report</label>
      </div>
    </Form>
  );
}

/** Close with a note, or act on the case: require reassessment or revoke (the case's own events). */
function RegulatorActions({ incident, onDone, onCaseChanged }: { incident: Incident; onDone: (updated: Incident) => void; onCaseChanged: () => void }) {
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const act = (type: 'REQUIRE_REASSESSMENT' | 'REVOKE') => async () => {
    const updated = await fireEvent(incident.caseId, type, { reason });
    setDone(`The case is now ${words(updated.state)}.`);
    onCaseChanged();
  };
  return (
    <section aria-labelledby="regulator-heading">
      <h2 id="regulator-heading">Act on this incident</h2>
      <Form title="Close the incident" submitLabel="Close with this note" onSubmit={async () => onDone(await closeIncident(incident.id, note))}>
        <div className="field">
          <label htmlFor="close-note">Note</label>
          <textarea id="close-note" rows={2} required value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
      </Form>
      <Form title="Require reassessment" submitLabel="Require reassessment of the case" onSubmit={act('REQUIRE_REASSESSMENT')}>
        <div className="field">
          <label htmlFor="case-reason">Reason (for reassessment or revocation)</label>
          <textarea id="case-reason" rows={2} required value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      </Form>
      <Form title="Revoke" submitLabel="Revoke the clearance" onSubmit={act('REVOKE')}>
        <p>Uses the reason above. Distribution from the recorded locations must stop.</p>
      </Form>
      {done && <p role="status">{done}</p>}
    </section>
  );
}
