import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api, read } from '../api/client';
import { BarChart } from '../components/bar-chart';
import { age, formatDuration, words } from '../components/format';
import { Loading, ProblemMessage } from '../components/problem';
import { usePageTitle } from '../components/session';
import { useLoad } from '../components/use-load';

type Durations = { state: string; stays: number; medianSeconds: number; p90Seconds: number };

const WINDOWS = [
  { value: '', label: 'All time' },
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
];

const seconds = (s: number) => (s < 60 ? `${Math.round(s)} s` : formatDuration(s * 1000));

export function RegulatorHome() {
  usePageTitle('Dashboard');
  const [days, setDays] = useState('');
  const queues = useLoad(useCallback((signal: AbortSignal) => read(api.GET('/v1/queues', { signal })), []));
  const stats = useLoad(useCallback(async (signal: AbortSignal) => {
    const from = days ? new Date(Date.now() - Number(days) * 86_400_000).toISOString() : undefined;
    try {
      return await read(api.GET('/v1/stats', { params: { query: { from } }, signal }));
    } catch (e) {
      // The statistics route may not exist on an older api: the dashboard works without it.
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }, [days]));

  const durationRows = (rows: Array<Durations & { label: string }>) =>
    rows.map((r) => ({ label: `${r.label} · ${words(r.state)}`, values: [r.medianSeconds, r.p90Seconds] }));
  const durationSeries = [{ name: 'median', className: 'bar-a' }, { name: 'p90', className: 'bar-b' }];

  return (
    <>
      <h1>Supervision dashboard</h1>
      <section aria-labelledby="queues-heading">
        <h2 id="queues-heading">Queues</h2>
        {queues.loading && !queues.data ? <Loading what="queues" /> : <ProblemMessage error={queues.error} />}
        {queues.data && (
          <table>
            <caption className="visually-hidden">Cases waiting in each state, with the age of the oldest</caption>
            <thead><tr><th scope="col">Queue</th><th scope="col">Cases</th><th scope="col">Oldest waiting for</th></tr></thead>
            <tbody>
              {queues.data.map((q) => (
                <tr key={q.name} className={q.name === 'overdue' && q.count > 0 ? 'warn' : undefined}>
                  <td><Link to={`/queues/${q.name}`}>{words(q.name)}</Link></td>
                  <td>{q.count}</td>
                  <td>{q.count > 0 ? age(q.oldestAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="stats-heading">
        <h2 id="stats-heading">Statistics</h2>
        <div className="field inline-field">
          <label htmlFor="stats-window">Window</label>
          <select id="stats-window" value={days} onChange={(e) => setDays(e.target.value)}>
            {WINDOWS.map((w) => <option key={w.value} value={w.value}>{w.label}</option>)}
          </select>
        </div>
        {stats.loading && <Loading what="statistics" />}
        <ProblemMessage error={stats.error} />
        {!stats.loading && !stats.error && stats.data === null && <p>Statistics are not available from this server.</p>}
        {stats.data && (
          <div className="charts">
            <BarChart
              title="Cases by state"
              description={stats.data.casesByState.map((r) => `${words(r.state)}: ${r.count}`).join(', ')}
              series={[{ name: 'cases', className: 'bar-a' }]}
              rows={stats.data.casesByState.filter((r) => r.count > 0).map((r) => ({ label: words(r.state), values: [r.count] }))}
            />
            <BarChart
              title="Time in state by developer organisation (median and p90)"
              description="Median and 90th percentile time cases spent in each state, per developer organisation."
              series={durationSeries}
              format={seconds}
              rows={durationRows(stats.data.timeInState.byDeveloperOrganisation.map((r) => ({ ...r, label: r.developerOrganisationName })))}
            />
            <BarChart
              title="Time in state by release level of the weights (median and p90)"
              description="Median and 90th percentile time in each state, by how openly the model parameters are to be released."
              series={durationSeries}
              format={seconds}
              rows={durationRows(stats.data.timeInState.byWeightsRelease.map((r) => ({ ...r, label: words(r.release) })))}
            />
            <div>
              <h3>Deadline breaches</h3>
              <table>
                <thead><tr><th scope="col">Deadline</th><th scope="col">Breached</th><th scope="col">Still open</th></tr></thead>
                <tbody>{stats.data.deadlineBreaches.map((d) => <tr key={d.kind}><td>{words(d.kind)}</td><td>{d.count}</td><td>{d.stillOpen}</td></tr>)}</tbody>
              </table>
            </div>
          </div>
        )}
      </section>
    </>
  );
}
