import { useCallback, useState, type FormEvent } from 'react';
import { api, read } from '../api/client';
import { formatTime } from '../components/format';
import { Loading, ProblemMessage } from '../components/problem';
import { usePageTitle, useSession } from '../components/session';
import { useLoad } from '../components/use-load';

/** Any user: its own tokens — when they expire and were last used — revoking them, and a new one shown once. */
export function TokensPage() {
  usePageTitle('Your tokens');
  const { me } = useSession();
  const tokens = useLoad(
    useCallback(async (signal: AbortSignal) => {
      const { items } = await read(api.GET('/v1/me/tokens', { params: { query: { limit: 200 } }, signal }));
      // Judged when loaded, not at each render: a page left open shows what the last load saw.
      const loadedAt = Date.now();
      return items.map((t) => ({ ...t, expired: new Date(t.expiresAt).getTime() <= loadedAt }));
    }, []),
  );
  const [label, setLabel] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [created, setCreated] = useState<{ id: string; token: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const body = { ...(label.trim() ? { label: label.trim() } : {}), ...(expiresOn ? { expiresAt: new Date(`${expiresOn}T23:59:59.000Z`).toISOString() } : {}) };
      setCreated(await read(api.POST('/v1/me/tokens', { body })));
      setLabel('');
      setExpiresOn('');
      setError(null);
      await tokens.reload();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (id: string) => {
    try {
      await read(api.DELETE('/v1/me/tokens/{id}', { params: { path: { id } } }));
      setError(null);
      await tokens.reload();
    } catch (e) {
      setError(e as Error);
    }
  };

  const status = (t: { expired: boolean; revokedAt: string | null }) => (t.revokedAt ? `revoked ${formatTime(t.revokedAt)}` : t.expired ? 'expired' : 'active');

  return (
    <section aria-labelledby="tokens-heading">
      <h1 id="tokens-heading">Your tokens</h1>
      <p>Bearer tokens that sign in as {me.displayName}. A token is shown once, when it is created; revoke any you no longer use or did not expect.</p>

      <form onSubmit={(e) => void create(e)} aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">New token</h2>
        <label htmlFor="token-label">Label (optional)</label>
        <input id="token-label" value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} />
        <label htmlFor="token-expires">Expires on (optional; at most a year ahead, else the default lifetime)</label>
        <input id="token-expires" type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />
        <button type="submit" disabled={busy}>Create token</button>
      </form>
      {created && (
        <div className="ok" role="status" data-testid="new-token">
          <p>
            <strong>Copy this token now: it is not shown again.</strong> It expires {formatTime(created.expiresAt)}.
          </p>
          <p><code>{created.token}</code></p>
        </div>
      )}
      <ProblemMessage error={error} />

      {tokens.loading && !tokens.data ? <Loading what="your tokens" /> : <ProblemMessage error={tokens.error} />}
      {tokens.data && (
        <table>
          <caption>Your tokens, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Created</th>
              <th scope="col">Issued by</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id}>
                <td>{t.label ?? '—'}</td>
                <td>{formatTime(t.createdAt)}</td>
                <td>{t.createdBy === null ? 'configuration' : t.createdBy === me.id ? 'you' : 'an administrator'}</td>
                <td>{formatTime(t.expiresAt)}</td>
                <td>{formatTime(t.lastUsedAt)}</td>
                <td>{status(t)}</td>
                <td>
                  {!t.revokedAt && (
                    <button type="button" className="secondary" onClick={() => void revoke(t.id)} aria-label={`Revoke token ${t.label ?? t.id}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
