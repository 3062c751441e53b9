import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { api, read } from '../../api/client';
import { words } from '../../components/format';
import { Loading, ProblemMessage } from '../../components/problem';
import { usePageTitle } from '../../components/session';
import { useLoad } from '../../components/use-load';
import { AssessmentForm } from './assessment-form';

const EDITABLE = ['draft', 'changes_requested'];
// The default pack's domains, offered when the pinned pack cannot be read.
const FALLBACK_DOMAINS = ['chem_bio', 'cyber', 'autonomy', 'persuasion'];

/** The developer's assessment of a case in draft or changes requested, with one evaluation per domain of its pack. */
export function AssessmentPage() {
  const { id = '' } = useParams();
  const load = useCallback(async (signal: AbortSignal) => {
    const c = await read(api.GET('/v1/cases/{id}', { params: { path: { id } }, signal }));
    const [packId = '', version = ''] = c.policyPack.split('@');
    const pack = await read(api.GET('/v1/policy-packs/{id}/versions/{version}', { params: { path: { id: packId, version } }, signal })).catch(() => null);
    return { c, domains: pack?.domains ?? FALLBACK_DOMAINS };
  }, [id]);
  const loaded = useLoad(load);
  const title = loaded.data?.c.model ? `Assessment of ${loaded.data.c.model.name} ${loaded.data.c.model.version}` : 'Assessment';
  usePageTitle(title);

  if (!loaded.data) return loaded.error ? <ProblemMessage error={loaded.error} /> : <Loading what="the assessment" />;
  const { c, domains } = loaded.data;
  if (!EDITABLE.includes(c.state) || !c.allowedEvents.length) {
    return (
      <section>
        <h1>{title}</h1>
        <p>This case is {words(c.state)}: its assessment can be edited only in draft or when changes are requested.</p>
        <p><Link to={`/cases/${c.id}`}>Back to the case</Link></p>
      </section>
    );
  }
  return <AssessmentForm key={c.version} initial={c} domains={domains} title={title} />;
}
