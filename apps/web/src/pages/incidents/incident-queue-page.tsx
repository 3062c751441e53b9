import { useCallback } from 'react';
import { Link } from 'react-router';
import { api, read } from '../../api/client';
import { formatTime, timeLeft, words } from '../../components/format';
import { Loading, ProblemMessage } from '../../components/problem';
import { usePageTitle } from '../../components/session';
import { useLoad } from '../../components/use-load';

/** The regulators' incidents queue: open incidents, the final report due soonest first. */
export function IncidentQueuePage() {
  usePageTitle('Queue: incidents');
  const queue = useLoad(useCallback(async (signal: AbortSignal) => (await read(api.GET('/v1/queues/incidents', { params: { query: { limit: 200 } }, signal }))).items, []));
  return (
    <section aria-labelledby="incident-queue-heading">
      <h1 id="incident-queue-heading">Queue: incidents</h1>
      <p>Open incidents, the final report due soonest first. <Link to="/">Back to the dashboard</Link></p>
      {queue.loading && !queue.data ? <Loading what="the queue" /> : <ProblemMessage error={queue.error} />}
      {queue.data && queue.data.length === 0 && <p>No open incident.</p>}
      {queue.data && queue.data.length > 0 && (
        <table>
          <caption>Open incidents</caption>
          <thead><tr><th scope="col">Incident</th><th scope="col">Case</th><th scope="col">Report due</th><th scope="col">Final report due</th></tr></thead>
          <tbody>
            {queue.data.map((i) => (
              <tr key={i.incidentId}>
                <td><Link to={`/incidents/${i.incidentId}`}>{words(i.category)}</Link></td>
                <td><Link to={`/cases/${i.caseId}`}>the case</Link></td>
                <td>{formatTime(i.reportDueAt)}</td>
                <td>{formatTime(i.finalReportDueAt)} ({timeLeft(i.finalReportDueAt)})</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
