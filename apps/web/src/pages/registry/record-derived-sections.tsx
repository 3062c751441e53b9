import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { PublicJwk } from '../../api/types';
import { words } from '../../components/format';
import { Loading, ProblemMessage } from '../../components/problem';
import { checkAttestation } from '../../verification/dsse';
import type { Check } from '../../verification/registry-record';

/** A DSSE envelope as `GET /v1/public/registry/:id/attestation` answers it. */
export interface Attestation {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}
/** One relative of a model version in the registry. */
export interface Relative {
  recordId: string | null;
  name: string;
  version: string;
  relation: string;
  state: string | null;
}
export interface Lineage {
  ancestors: Relative[];
  descendants: Relative[];
}

interface Statement {
  subject?: Array<{ name?: string; digest?: Record<string, string> }>;
  predicateType?: string;
}

/** The in-toto Statement inside the envelope, or null when the payload is not one. */
const statementOf = (envelope: Attestation): Statement | null => {
  try {
    const bytes = Uint8Array.from(atob(envelope.payload), (c) => c.charCodeAt(0));
    const statement: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return statement && typeof statement === 'object' ? (statement as Statement) : null;
  } catch {
    return null;
  }
};

/** The envelope's signature and subject, checked in the browser once the keys are in. */
function AttestationCheck({ attestation, keys, weightsSha256 }: { attestation: Attestation; keys: PublicJwk[]; weightsSha256: string | null }) {
  const [settled, setSettled] = useState<{ from: Attestation; check: Check } | null>(null);
  useEffect(() => {
    let current = true;
    void checkAttestation(attestation, keys, weightsSha256)
      .catch((error: unknown): Check => ({ ok: false, detail: String(error) }))
      .then((check) => current && setSettled({ from: attestation, check }));
    return () => {
      current = false;
    };
  }, [attestation, keys, weightsSha256]);
  const check = settled?.from === attestation ? settled.check : null;
  return (
    <>
      <dt>Verified in your browser</dt>
      <dd>
        <span data-testid="check-attestation" role="status" className={check ? (check.ok ? 'ok' : 'error-text') : undefined}>
          {check ? (check.ok ? '✓ pass' : '✗ fail') : 'checking…'}
        </span>
        {check && <div className="help">{check.detail}</div>}
      </dd>
    </>
  );
}

export function AttestationSection({ attestation, loading, error, keys, weightsSha256 }: { attestation: Attestation | null; loading: boolean; error: Error | null; keys: PublicJwk[] | null; weightsSha256: string | null }) {
  const statement = attestation ? statementOf(attestation) : null;
  return (
    <section aria-labelledby="attestation-heading">
      <h2 id="attestation-heading">Attestation</h2>
      <ProblemMessage error={error} />
      {loading && !attestation ? <Loading what="the attestation" /> : !attestation ? (
        <p data-testid="attestation">No attestation is published for this record (a model version that names no weights, by checkpoint SHA-256, has none).</p>
      ) : !statement ? (
        <p data-testid="attestation" className="error-text">The attestation's payload is not an in-toto statement.</p>
      ) : (
        <dl className="prose" data-testid="attestation">
          <dt>Envelope</dt>
          <dd>DSSE, <code>{attestation.payloadType}</code>, signed by key {attestation.signatures.map((s) => s.keyid).join(', ')}</dd>
          <dt>Predicate type</dt>
          <dd><code>{statement.predicateType ?? '—'}</code></dd>
          <dt>Subject</dt>
          <dd>
            <ul>
              {(statement.subject ?? []).map((s, i) => (
                <li key={i}>{s.name} {Object.entries(s.digest ?? {}).map(([alg, hex]) => <span key={alg} className="hash">{alg}:{hex}</span>)}</li>
              ))}
            </ul>
          </dd>
          {keys && <AttestationCheck attestation={attestation} keys={keys} weightsSha256={weightsSha256} />}
        </dl>
      )}
    </section>
  );
}

function Relatives({ title, items }: { title: string; items: Relative[] }) {
  return (
    <>
      <h3>{title}</h3>
      {items.length === 0 ? <p>None.</p> : (
        <ul>
          {items.map((r, i) => {
            const label = `${r.name} ${r.version}`;
            return (
              <li key={`${r.recordId ?? label}-${i}`}>
                {r.recordId ? <Link to={`/registry/${r.recordId}`}>{label}</Link> : label} — {words(r.relation)}
                {r.state ? <> · <span className={`state state-${r.state}`}>{words(r.state)}</span></> : null}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

export function LineageSection({ lineage, loading, error }: { lineage: Lineage | null; loading: boolean; error: Error | null }) {
  return (
    <section aria-labelledby="lineage-heading">
      <h2 id="lineage-heading">Lineage</h2>
      <ProblemMessage error={error} />
      {loading && !lineage ? <Loading what="the lineage" /> : !lineage ? <p data-testid="lineage">None recorded.</p> : (
        <div data-testid="lineage">
          <Relatives title="Derived from" items={lineage.ancestors ?? []} />
          <Relatives title="Derived into" items={lineage.descendants ?? []} />
        </div>
      )}
    </section>
  );
}
