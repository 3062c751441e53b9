import type { ChainVerification, HistoryItem } from '../api/types';
import { formatTime, shortHash, words } from './format';

const describePayload = (payload: Record<string, unknown>): string => {
  const entries = Object.entries(payload).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0));
  return entries
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ')
    .slice(0, 400);
};

/** The case's hash-chained history, with the server's verification of the chain. */
export function Timeline({ items, verification }: { items: HistoryItem[]; verification: ChainVerification | null }) {
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {verification && (
        <p className={verification.valid ? 'ok' : 'error'} role="status" data-testid="chain-verification">
          {verification.valid
            ? `Hash chain verified: ${verification.length} events, head ${shortHash(verification.headHash)}.`
            : `Hash chain broken: the first bad event is #${verification.firstBadSeq}.`}
        </p>
      )}
      <ol className="timeline">
        {items.map((item) => (
          <li key={item.seq}>
            <p>
              <strong>#{item.seq} {words(item.type)}</strong>
              {item.fromState !== item.toState ? ` — ${words(item.fromState)} → ${words(item.toState)}` : ` — stays ${words(item.toState)}`}
            </p>
            <p className="meta">
              {formatTime(item.at)} · by {item.actor === 'system' ? 'the system' : item.actor.role} · hash <code title={item.hash}>{shortHash(item.hash)}</code>
            </p>
            {Object.keys(item.payload ?? {}).length > 0 && <p className="payload">{describePayload(item.payload)}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
