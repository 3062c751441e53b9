import { useCallback, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, read } from '../../api/client';
import type { CaseView, Role } from '../../api/types';
import { formatTime, words } from '../../components/format';
import { Loading, ProblemMessage } from '../../components/problem';
import { useLoad } from '../../components/use-load';
import { INCIDENT_CATEGORIES, fromLocalInput, nowInput, reportIncident, type IncidentCategory } from './incident-api';

/** The case page's incidents: those reported so far and, once released, the report form. */
export function IncidentsSection({ caseView, role, onReported }: { caseView: CaseView; role: Role; onReported: () => void }) {
  const incidents = useLoad(
    useCallback(
      async (signal: AbortSignal) =>
        (await read(api.GET('/v1/incidents', { params: { query: { caseId: caseView.id, limit: 200 } }, signal }))).items,
      [caseView.id],
    ),
  );
  const [reporting, setReporting] = useState(false);
  const mayReport = caseView.releasedAt !== null && (role === 'developer' || role === 'regulator');
  if (!caseView.releasedAt && (incidents.data?.length ?? 0) === 0) return null;
  return (
    <section aria-labelledby="incidents-heading">
      <h2 id="incidents-heading">Incidents</h2>
      {incidents.loading && !incidents.data ? <Loading what="incidents" /> : <ProblemMessage error={incidents.error} />}
      {incidents.data && incidents.data.length === 0 && <p>No incident reported.</p>}
      {incidents.data && incidents.data.length > 0 && (
        <table>
          <caption>Incidents reported on this case</caption>
          <thead><tr><th scope="col">Category</th><th scope="col">Status</th><th scope="col">Reported</th><th scope="col">Report due</th><th scope="col">Final report due</th></tr></thead>
          <tbody>
            {incidents.data.map((i) => (
              <tr key={i.id}>
                <td><Link to={`/incidents/${i.id}`}>{words(i.category)}</Link></td>
                <td>{i.status}</td>
                <td>{formatTime(i.reportedAt)}{i.reportedLate && <strong> (late)</strong>}</td>
                <td>{formatTime(i.reportDueAt)}</td>
                <td>{i.finalReportAt ? `received ${formatTime(i.finalReportAt)}` : formatTime(i.finalReportDueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayReport && !reporting && <p><button type="button" onClick={() => setReporting(true)}>Report an incident</button></p>}
      {mayReport && reporting && (
        <ReportForm caseId={caseView.id} onCancel={() => setReporting(false)} onDone={() => { setReporting(false); void incidents.reload(); onReported(); }} />
      )}
    </section>
  );
}

function ReportForm({ caseId, onDone, onCancel }: { caseId: string; onDone: () => void; onCancel: () => void }) {
  const [category, setCategory] = useState<IncidentCategory>(INCIDENT_CATEGORIES[0]);
  const [summary, setSummary] = useState('');
  const [occurredAt, setOccurredAt] = useState(nowInput);
  const [awareAt, setAwareAt] = useState(nowInput);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await reportIncident(caseId, { category, summary, occurredAt: fromLocalInput(occurredAt), awareAt: fromLocalInput(awareAt) });
      onDone();
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="report-incident-heading" className="stack">
      <h3 id="report-incident-heading">Report an incident</h3>
      <p>The report is due from when you became aware of the incident, on the clock of the case’s policy pack. A late report is taken and marked late.</p>
      <div className="field">
        <label htmlFor="incident-category">Category</label>
        <select id="incident-category" value={category} onChange={(e) => setCategory(e.target.value as IncidentCategory)}>
          {INCIDENT_CATEGORIES.map((c) => <option key={c} value={c}>{words(c)}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="incident-summary">Summary</label>
        <textarea id="incident-summary" rows={3} required value={summary} onChange={(e) => setSummary(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="incident-occurred">Occurred at (UTC)</label>
        <input id="incident-occurred" type="datetime-local" required value={occurredAt} onChange={(e) => setOccurredAt(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="incident-aware">Aware at (UTC)</label>
        <input id="incident-aware" type="datetime-local" required value={awareAt} onChange={(e) => setAwareAt(e.target.value)} />
      </div>
      <div className="button-row">
        <button type="submit" disabled={busy}>{busy ? 'Reporting…' : 'Confirm: report the incident'}</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
      <ProblemMessage error={error} />
    </form>
  );
}
