import { useEffect, useState } from 'react';
import type { PublicJwk } from '../../api/types';
import { LineageGraph, type LineageEdgeView, type LineageNodeView } from '../../components/lineage/lineage-graph';
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
  /** Generations away from this record's model version (1: a direct base or derivative). */
  depth?: number;
}
export interface Lineage {
  ancestors: Relative[];
  descendants: Relative[];
  /** A walk stopped at the server's limit: there is more beyond the farthest relatives. */
  truncated?: boolean;
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

/** A record in one of these states is flagged: its derivatives are flagged with it. */
const FLAGGED_STATES = new Set(['flagged', 'held', 'revoked', 'reassessment_required']);

/** The public lineage as graph nodes around this record; only direct relatives' links are known. */
const lineageGraph = (current: { name: string; version: string }, lineage: Lineage): { nodes: LineageNodeView[]; edges: LineageEdgeView[] } => {
  const node = (r: Relative, id: string, sign: -1 | 1): LineageNodeView => ({
    id,
    label: `${r.name} ${r.version}`,
    depth: sign * Math.max(1, Math.abs(r.depth ?? 1)),
    href: r.recordId ? `/registry/${r.recordId}` : undefined,
    state: r.state,
    flagged: r.state !== null && FLAGGED_STATES.has(r.state),
  });
  const ancestors = (lineage.ancestors ?? []).map((r, i) => ({ relative: r, view: node(r, `ancestor-${i}`, -1) }));
  const descendants = (lineage.descendants ?? []).map((r, i) => ({ relative: r, view: node(r, `descendant-${i}`, 1) }));
  const edges: LineageEdgeView[] = [
    ...ancestors.filter((a) => a.view.depth === -1).map((a) => ({ from: a.view.id, to: 'this', relation: a.relative.relation })),
    ...descendants.filter((d) => d.view.depth === 1).map((d) => ({ from: 'this', to: d.view.id, relation: d.relative.relation })),
  ];
  const nodes = [{ id: 'this', label: `${current.name} ${current.version}`, depth: 0 }, ...ancestors.map((a) => a.view), ...descendants.map((d) => d.view)];
  return { nodes, edges };
};

export function LineageSection({
  current,
  lineage,
  loading,
  error,
}: {
  current: { name: string; version: string };
  lineage: Lineage | null;
  loading: boolean;
  error: Error | null;
}) {
  const graph = lineage ? lineageGraph(current, lineage) : null;
  return (
    <section aria-labelledby="lineage-heading">
      <h2 id="lineage-heading">Lineage</h2>
      <ProblemMessage error={error} />
      {loading && !lineage ? <Loading what="the lineage" /> : !graph ? <p data-testid="lineage">None recorded.</p> : (
        <div data-testid="lineage">
          {graph.nodes.length === 1 ? <p>No published base model or derivative.</p> : <LineageGraph nodes={graph.nodes} edges={graph.edges} label="Lineage of this record" />}
          {lineage?.truncated && <p>Only the nearest 1,000 model versions each way were searched: open a record at the edge to see beyond it.</p>}
        </div>
      )}
    </section>
  );
}
