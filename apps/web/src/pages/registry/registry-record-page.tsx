import { useCallback, useEffect, useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api, read } from '../../api/client';
import type { RegistryRecord } from '../../api/types';
import { formatTime, words } from '../../components/format';
import { Loading, ProblemMessage } from '../../components/problem';
import { usePageTitle } from '../../components/session';
import { useLoad } from '../../components/use-load';
import { AttestationSection, LineageSection, type Attestation, type Lineage } from './record-derived-sections';
import { RecordChecks, type CheckInputs } from './record-checks';
import { publicGet, publicGetOrNone } from './public-fetch';

/** How often to ask again for the proof while no checkpoint covers the record (checkpoints come about every second). */
const RETRY_MS = 1000;

const loadProof = (id: string, signal: AbortSignal) =>
  read(api.GET('/v1/public/registry/{id}/proof', { params: { path: { id } }, signal })).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 409) return null; // not yet logged
    throw error;
  });

/** One record: its decision, attestation, lineage and proofs, with its signature, inclusion and checkpoint verified here. */
export function RegistryRecordPage() {
  const { id = '' } = useParams();
  const record = useLoad(useCallback((signal: AbortSignal) => read(api.GET('/v1/public/registry/{id}', { params: { path: { id } }, signal })), [id]));
  const keys = useLoad(useCallback(async (signal: AbortSignal) => {
    const [jwks, logKey] = await Promise.all([read(api.GET('/v1/public/keys', { signal })), publicGet('/v1/public/log/key', 'text', signal)]);
    return { jwks: jwks.keys, logKey };
  }, []));
  const proof = useLoad(useCallback((signal: AbortSignal) => loadProof(id, signal), [id]));
  const attestation = useLoad(useCallback((signal: AbortSignal) => publicGetOrNone(`/v1/public/registry/${id}/attestation`, signal) as Promise<Attestation | null>, [id]));
  const lineage = useLoad(useCallback((signal: AbortSignal) => publicGetOrNone(`/v1/public/registry/${id}/lineage`, signal) as Promise<Lineage | null>, [id]));
  const r = record.data;
  usePageTitle(r ? `Registry: ${r.model.name} ${r.model.version}` : 'Registry record');

  // Until a checkpoint covers the record, ask again.
  const { reload: reloadProof } = proof;
  const unlogged = proof.data === null && !proof.loading && !proof.error;
  useEffect(() => {
    if (!unlogged) return;
    const timer = setInterval(() => void reloadProof(), RETRY_MS);
    return () => clearInterval(timer);
  }, [unlogged, reloadProof]);

  const inputs = useMemo<CheckInputs | null>(
    () => (r && keys.data && proof.data !== undefined && !proof.loading ? { record: r, keys: keys.data.jwks, logKey: keys.data.logKey, proof: proof.data } : null),
    [r, keys.data, proof.data, proof.loading],
  );

  if (record.error) return <section><h1>Registry record</h1><ProblemMessage error={record.error} /><p><Link to="/registry">Back to the registry</Link></p></section>;
  if (!r) return <Loading what="the record" />;
  return (
    <section>
      <p><Link to="/registry">Public registry</Link></p>
      <h1>{`${r.model.name} ${r.model.version}`}</h1>
      <dl className="facts">
        <div><dt>State</dt><dd><span className={`state state-${r.state}`} data-testid="record-state">{words(r.state)}</span></dd></div>
        <div><dt>Developer</dt><dd>{r.developer.name}</dd></div>
        <div><dt>Tier</dt><dd>{words(r.tier)}</dd></div>
        <div><dt>Revision</dt><dd>{r.revision}</dd></div>
        <div><dt>Policy pack</dt><dd>{r.policyPack}</dd></div>
        <div><dt>Published</dt><dd>{formatTime(r.publishedAt)}</dd></div>
        <div><dt>Released</dt><dd>{formatTime(r.releasedAt)}</dd></div>
      </dl>

      <ProblemMessage error={keys.error ?? proof.error} />
      {inputs ? <RecordChecks inputs={inputs} /> : <Loading what="what the checks need" />}

      <Decision record={r} />
      <AttestationSection attestation={attestation.data} loading={attestation.loading} error={attestation.error} keys={keys.data?.jwks ?? null} weightsSha256={r.model.checkpointSha256} />
      <LineageSection current={r.model} lineage={lineage.data} loading={lineage.loading} error={lineage.error} />

      <section aria-labelledby="proofs-heading">
        <h2 id="proofs-heading">Proofs</h2>
        <dl className="prose">
          <dt>Weights (checkpoint SHA-256)</dt>
          <dd className="hash">{r.model.checkpointSha256 ?? 'none given'}</dd>
          <dt>Case history head</dt>
          <dd>seq {r.chainHead.seq}, <span className="hash">{r.chainHead.hash}</span></dd>
          <dt>Signing key</dt>
          <dd className="hash">{r.keyId}</dd>
          <dt>Signature</dt>
          <dd className="hash">{r.signature}</dd>
          {proof.data ? (
            <>
              <dt>Log position</dt>
              <dd>entry {proof.data.logIndex} of a tree of {proof.data.treeSize}</dd>
              <dt>Inclusion proof (RFC 9162, leaf to root)</dt>
              <dd>
                {proof.data.inclusionProof.length === 0 ? 'empty: the record is the whole tree' : (
                  <ol className="hash">{proof.data.inclusionProof.map((h, i) => <li key={i}>{h}</li>)}</ol>
                )}
              </dd>
              <dt>Checkpoint (C2SP signed note)</dt>
              <dd><pre className="hash" data-testid="checkpoint-note">{proof.data.checkpoint}</pre></dd>
            </>
          ) : (
            <><dt>Log position</dt><dd>not yet covered by a checkpoint</dd></>
          )}
          {r.redactions && r.redactions.length > 0 && (
            <>
              <dt>Withheld fields</dt>
              <dd>
                <ul>{r.redactions.map((x) => <li key={x.path}><code>{x.path}</code> ({words(x.reason)}), commitment <span className="hash">{x.commitment}</span></li>)}</ul>
              </dd>
            </>
          )}
        </dl>
      </section>
    </section>
  );
}

/** A text published in full, or by hash (over 2,000 characters), or withheld (null). */
const text = (recordId: string, value: string | { sha256: string; length: number } | null) =>
  value === null ? <em>withheld</em> : typeof value === 'string' ? value : <a href={`/v1/public/registry/${recordId}/texts/${value.sha256}`}>full text ({value.length} characters)</a>;

function Decision({ record }: { record: RegistryRecord }) {
  return (
    <section aria-labelledby="decision-heading">
      <h2 id="decision-heading">Decision</h2>
      <table>
        <caption>Clearance per component</caption>
        <thead>
          <tr><th scope="col">Component</th><th scope="col">Release</th><th scope="col">Gating</th></tr>
        </thead>
        <tbody>
          {record.clearance.map((c) => (
            <tr key={c.component}>
              <td>{words(c.component)}</td>
              <td>{words(c.release)}</td>
              <td>{c.gating ? `${words(c.gating.approval)} approval; ${c.gating.criteria.map(words).join(', ') || 'no criteria'}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Opinions</h3>
      {record.opinions.length === 0 ? <p>No audit opinion in this record.</p> : (
        <ul className="stack">
          {record.opinions.map((o, i) => (
            <li key={i}>
              <strong>{words(o.kind)}</strong> opinion, {o.assurance} assurance, by {o.auditFirm.name} on {formatTime(o.issuedAt)}
              <div>Basis: {text(record.id, o.basis)}</div>
              {o.conditions.length > 0 && (
                <ul>
                  {o.conditions.map((c, j) => (
                    <li key={j}>{text(record.id, c.text)}{c.component ? ` (${words(c.component)}${c.maxRelease ? ` at most ${words(c.maxRelease)}` : ''})` : ''}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
