import { useCallback } from 'react';
import { Link } from 'react-router';
import { api, read } from '../api/client';
import { CaseTable } from '../components/case-table';
import { DownloadButton } from '../components/download-button';
import { Loading, ProblemMessage } from '../components/problem';
import { usePageTitle, useSession } from '../components/session';
import { useLoad } from '../components/use-load';

export function DeveloperHome() {
  usePageTitle('My cases');
  const { me } = useSession();
  const cases = useLoad(useCallback((signal: AbortSignal) => read(api.GET('/v1/cases', { params: { query: { limit: 200 } }, signal })), []));
  return (
    <section aria-labelledby="my-cases">
      <div className="heading-row">
        <h1 id="my-cases">My cases</h1>
        <span className="heading-actions">
          <DownloadButton label="Download CSV" fallbackName="cases.csv" fetchFile={() => api.GET('/v1/cases', { headers: { accept: 'text/csv' }, parseAs: 'blob' })} />
          <Link className="button" to="/cases/new">New case</Link>
        </span>
      </div>
      <p>Release decisions of {me.organisation?.name ?? 'your organisation'}, newest first.</p>
      {cases.loading && !cases.data ? <Loading what="cases" /> : <ProblemMessage error={cases.error} />}
      {cases.data && <CaseTable cases={cases.data.items} caption="Cases of your organisation" />}
    </section>
  );
}
