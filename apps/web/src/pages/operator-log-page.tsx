import { useCallback, useState } from 'react';
import { api, read } from '../api/client';
import type { components } from '../api/schema';
import { formatTime, shortHash, words } from '../components/format';
import { Loading, ProblemMessage } from '../components/problem';
import { usePageTitle } from '../components/session';
import { useLoad } from '../components/use-load';

type LogItem = components['schemas']['OperatorLogPage']['items'][number];

const describe = (payload: Record<string, unknown>): string =>
  Object.entries(payload)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ')
    .slice(0, 400);

/** Regulators: every admin action, hash-chained, with the server's verification of the chain. */
export function OperatorLogPage() {
  usePageTitle('Operator log');
  const [more, setMore] = useState<{ items: LogItem[]; nextCursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);
  const log = useLoad(
    useCallback(async (signal: AbortSignal) => {
      const [page, verification] = await Promise.all([
        read(api.GET('/v1/operator-log', { params: { query: { limit: 200 } }, signal })),
        read(api.GET('/v1/operator-log/verify', { signal })),
      ]);
      setMore(null);
      return { page, verification };
    }, []),
  );
  const items = [...(log.data?.page.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (log.data?.page.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await read(api.GET('/v1/operator-log', { params: { query: { limit: 200, cursor: nextCursor } } }));
      // openapi-fetch's data type drops the always-null fromState and toState, which this page never reads.
      setMore({ items: [...(more?.items ?? []), ...(page.items as LogItem[])], nextCursor: page.nextCursor });
      setMoreError(null);
    } catch (e) {
      setMoreError(e as Error);
    }
  };
  const verification = log.data?.verification;
  return (
    <section aria-labelledby="operator-log-heading">
      <h1 id="operator-log-heading">Operator log</h1>
      <p>Every action of an administrator — organisations, users, tokens, conflicts, policy packs, webhook redeliveries — in order, hash-chained like a case's history.</p>
      {log.loading && !log.data ? <Loading what="the operator log" /> : <ProblemMessage error={log.error} />}
      {verification && (
        <p className={verification.valid ? 'ok' : 'error'} role="status" data-testid="operator-log-verification">
          {verification.valid
            ? `Hash chain verified: ${verification.length} entries, head ${shortHash(verification.headHash)}.`
            : `Hash chain broken: the first bad entry is #${verification.firstBadSeq}.`}
        </p>
      )}
      {log.data && (
        <table>
          <caption>Admin actions, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Action</th>
              <th scope="col">By</th>
              <th scope="col">At</th>
              <th scope="col">Details</th>
              <th scope="col">Hash</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.seq}>
                <td>{item.seq}</td>
                <td>{words(item.type.toLowerCase())}</td>
                <td>{item.actor === 'system' ? 'the system' : <code title={item.actor.id}>admin {item.actor.id.slice(0, 8)}</code>}</td>
                <td>{formatTime(item.at)}</td>
                <td>{describe(item.payload)}</td>
                <td><code title={item.hash}>{shortHash(item.hash)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextCursor && <button type="button" className="secondary" onClick={() => void loadMore()}>Load more</button>}
      <ProblemMessage error={moreError} />
    </section>
  );
}
