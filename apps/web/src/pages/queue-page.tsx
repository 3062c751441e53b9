import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { api, read } from '../api/client';
import { CaseTable } from '../components/case-table';
import { DownloadButton } from '../components/download-button';
import { words } from '../components/format';
import { Loading, ProblemMessage } from '../components/problem';
import { usePageTitle } from '../components/session';
import { useLoad } from '../components/use-load';

export function QueuePage() {
  const { name = '' } = useParams();
  usePageTitle(`Queue: ${words(name)}`);
  const queue = useLoad(useCallback(async (signal: AbortSignal) => {
    const body = await read(api.GET('/v1/queues/{name}', { params: { path: { name }, query: { limit: 200 } }, signal }));
    return Array.isArray(body) ? body : body.items;
  }, [name]));
  return (
    <section aria-labelledby="queue-heading">
      <div className="heading-row">
        <h1 id="queue-heading">Queue: {words(name)}</h1>
        <DownloadButton label="Download CSV" fallbackName={`queue-${name}.csv`} fetchFile={() => api.GET('/v1/queues/{name}', { params: { path: { name } }, headers: { accept: 'text/csv' }, parseAs: 'blob' })} />
      </div>
      <p>{name === 'overdue' ? 'Cases with an escalated deadline, most overdue first.' : 'Oldest first by the time the case entered the state.'} <Link to="/">Back to the dashboard</Link></p>
      {queue.loading && !queue.data ? <Loading what="the queue" /> : <ProblemMessage error={queue.error} />}
      {queue.data && <CaseTable cases={queue.data} caption={`Cases in the ${words(name)} queue`} />}
    </section>
  );
}
