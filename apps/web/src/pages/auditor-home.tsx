import { useCallback } from 'react';
import { api, read } from '../api/client';
import { CaseTable } from '../components/case-table';
import { DownloadButton } from '../components/download-button';
import { Loading, ProblemMessage } from '../components/problem';
import { usePageTitle } from '../components/session';
import { useLoad } from '../components/use-load';

export function AuditorHome() {
  usePageTitle('My assignments');
  const cases = useLoad(useCallback((signal: AbortSignal) => read(api.GET('/v1/cases', { params: { query: { sort: 'deadline', limit: 200 } }, signal })), []));
  return (
    <section aria-labelledby="assignments">
      <div className="heading-row">
        <h1 id="assignments">My assignments</h1>
        <DownloadButton label="Download CSV" fallbackName="cases.csv" fetchFile={() => api.GET('/v1/cases', { params: { query: { sort: 'deadline' } }, headers: { accept: 'text/csv' }, parseAs: 'blob' })} />
      </div>
      <p>Cases you are or were assigned to, nearest deadline first.</p>
      {cases.loading && !cases.data ? <Loading what="assignments" /> : <ProblemMessage error={cases.error} />}
      {cases.data && <CaseTable cases={cases.data.items} caption="Your assignments, nearest deadline first" />}
    </section>
  );
}
