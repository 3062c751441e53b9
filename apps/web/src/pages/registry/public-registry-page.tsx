import { useCallback, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, read } from '../../api/client';
import type { RegistryRecord } from '../../api/types';
import { formatTime, words } from '../../components/format';
import { Loading, ProblemMessage } from '../../components/problem';
import { usePageTitle } from '../../components/session';
import { useLoad } from '../../components/use-load';

const PAGE_SIZE = 25;

/** Published records, newest first, searchable by part of the developer's or model's name. No token. */
export function PublicRegistryPage() {
  usePageTitle('Public registry');
  const [params, setParams] = useSearchParams();
  const developer = params.get('developer') ?? '';
  const model = params.get('model') ?? '';
  const [form, setForm] = useState({ developer, model });
  const [more, setMore] = useState<{ items: RegistryRecord[]; nextCursor: string | null; error: Error | null } | null>(null);

  const query = useCallback(
    (cursor?: string) => ({ limit: PAGE_SIZE, cursor, developer: developer || undefined, modelContains: model || undefined }),
    [developer, model],
  );
  const first = useLoad(useCallback((signal: AbortSignal) => {
    setMore(null);
    return read(api.GET('/v1/public/registry', { params: { query: query() }, signal }));
  }, [query]));

  const search = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (form.developer.trim()) next.set('developer', form.developer.trim());
    if (form.model.trim()) next.set('model', form.model.trim());
    setParams(next);
  };
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await read(api.GET('/v1/public/registry', { params: { query: query(nextCursor) } }));
      setMore((m) => ({ items: [...(m?.items ?? []), ...page.items], nextCursor: page.nextCursor, error: null }));
    } catch (error) {
      setMore((m) => ({ items: m?.items ?? [], nextCursor, error: error as Error }));
    }
  };

  return (
    <section>
      <h1>Public registry</h1>
      <p>
        Every release decision the registry published, signed with its key and appended to its transparency log. Open a record to see its decision and to verify it in
        your browser.
      </p>
      <form className="inline-field" onSubmit={search} role="search" aria-label="Search the registry">
        <div className="field">
          <label htmlFor="registry-developer">Developer</label>
          <input id="registry-developer" value={form.developer} onChange={(e) => setForm({ ...form, developer: e.target.value })} maxLength={500} aria-describedby="registry-search-help" />
        </div>
        <div className="field">
          <label htmlFor="registry-model">Model</label>
          <input id="registry-model" value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })} maxLength={500} aria-describedby="registry-search-help" />
        </div>
        <button type="submit">Search</button>
      </form>
      <p id="registry-search-help" className="help">
        Search by part of a name, with at least three letters or digits in a row.
      </p>
      <ProblemMessage error={first.error} />
      {/* A new search shows no rows until its own answer: the previous ones under the new caption would mislead. */}
      {first.loading ? (
        <Loading what="registry records" />
      ) : items.length === 0 ? (
        <p role="status">No records match.</p>
      ) : (
        <table>
          <caption>{developer || model ? `Records matching ${[developer && `developer “${developer}”`, model && `model “${model}”`].filter(Boolean).join(' and ')}` : 'Latest records'}</caption>
          <thead>
            <tr>
              <th scope="col">Model version</th>
              <th scope="col">Developer</th>
              <th scope="col">State</th>
              <th scope="col">Tier</th>
              <th scope="col">Published</th>
              <th scope="col">Log index</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id}>
                <td><Link to={`/registry/${r.id}`}>{`${r.model.name} ${r.model.version}`}</Link></td>
                <td>{r.developer.name}</td>
                <td><span className={`state state-${r.state}`}>{words(r.state)}</span></td>
                <td>{words(r.tier)}</td>
                <td>{formatTime(r.publishedAt)}</td>
                <td>{r.logIndex ?? 'not yet logged'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ProblemMessage error={more?.error ?? null} />
      {nextCursor && <button type="button" className="secondary" onClick={() => void loadMore()}>Show more</button>}
    </section>
  );
}
