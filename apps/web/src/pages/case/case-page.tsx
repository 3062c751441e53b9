import { useCallback, useEffect, useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api, read } from '../../api/client';
import type { HistoryItem } from '../../api/types';
import { ActionsPanel } from '../../components/actions/actions-panel';
import { DownloadButton } from '../../components/download-button';
import { EvidenceList } from '../../components/evidence-list';
import { formatTime, words } from '../../components/format';
import { Loading, ProblemMessage } from '../../components/problem';
import { usePageTitle, useSession } from '../../components/session';
import { CaseStatechart } from '../../components/statechart/case-statechart';
import { Timeline } from '../../components/timeline';
import { useLoad } from '../../components/use-load';
import { IncidentsSection } from '../incidents/incidents-section';
import { AssessmentView } from './assessment-view';
import { AuditSection, DeadlinesSection, FindingsSection, RequestsSection } from './case-sections';
import { LineageSection } from './lineage-section';

const loadHistory = async (id: string, signal: AbortSignal): Promise<HistoryItem[]> => {
  const items: HistoryItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(api.GET('/v1/cases/{id}/history', { params: { path: { id }, query: { limit: 200, cursor } }, signal }));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
};

/** Whether intake's last word sent the case back (its reasons are then shown). */
const intakeSentBack = (items: readonly HistoryItem[], state: string): HistoryItem | undefined => {
  const last = items.findLast((i) => i.type === 'INTAKE_FAILED' || i.type === 'INTAKE_PASSED');
  return last?.type === 'INTAKE_FAILED' && ['draft', 'changes_requested'].includes(state) ? last : undefined;
};

export function CasePage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const caseLoad = useLoad(useCallback((signal: AbortSignal) => read(api.GET('/v1/cases/{id}', { params: { path: { id } }, signal })), [id]));
  const c = caseLoad.data;
  const version = c?.version;
  // The history and its verification follow the case: loaded again at each new version.
  const history = useLoad(useCallback(async (signal: AbortSignal) => {
    if (version === undefined) return null;
    const [items, verification] = await Promise.all([loadHistory(id, signal), read(api.GET('/v1/cases/{id}/history/verify', { params: { path: { id } }, signal }))]);
    return { version, items, verification };
  }, [id, version]));
  const regulator = me.role === 'regulator';
  const auditors = useLoad(useCallback(async (signal: AbortSignal) => (regulator ? (await read(api.GET('/v1/auditors', { params: { query: {} }, signal }))).items : []), [regulator]));
  const auditorNames = useMemo(() => new Map((auditors.data ?? []).map((a) => [a.id, a.displayName])), [auditors.data]);
  usePageTitle(c?.model ? `${c.model.name} ${c.model.version}` : 'Case');

  // Intake runs in the worker: poll until it has decided.
  const screening = c?.state === 'intake';
  const { reload } = caseLoad;
  useEffect(() => {
    if (!screening) return;
    const timer = setInterval(() => void reload(), 1000);
    return () => clearInterval(timer);
  }, [screening, reload]);

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
  const sentBack = intakeSentBack(items, c.state);
  const reasons = (sentBack?.payload.reasons ?? []) as Array<{ message: string; path?: string }>;
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
        <p className="heading-actions">
          {editable && <Link className="button" to={`/cases/${c.id}/assessment`}>Edit the assessment</Link>}
          <DownloadButton label="Report (PDF)" fallbackName="report.pdf" fetchFile={() => api.GET('/v1/cases/{id}/report.pdf', { params: { path: { id: c.id } }, parseAs: 'blob' })} />
        </p>
      </header>

      {sentBack && (
        <section aria-labelledby="intake-heading" className="error">
          <h2 id="intake-heading">Intake sent the case back</h2>
          <ul>{reasons.map((r, i) => <li key={i}>{r.message}</li>)}</ul>
        </section>
      )}

      <ActionsPanel caseView={c} role={me.role} onDone={caseLoad.setData} />
      {history.data && <CaseStatechart current={c.state} history={items} />}
      <DeadlinesSection caseView={c} />
      <IncidentsSection caseView={c} role={me.role} onReported={() => void reload()} />
      <FindingsSection caseView={c} />
      <RequestsSection history={items} />
      <AuditSection caseView={c} me={me} auditorNames={auditorNames} />
      {regulator && <LineageSection caseView={c} />}
      <AssessmentView caseView={c} />
      <EvidenceList caseId={c.id} assessment={c.assessment} />
      {history.data ? <Timeline items={history.data.items} verification={history.data.verification} /> : history.error ? <ProblemMessage error={history.error} /> : <Loading what="the timeline" />}
    </article>
  );
}
