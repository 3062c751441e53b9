import { useEffect, useState } from 'react';
import type { PublicJwk, RegistryInclusionProof, RegistryRecord } from '../../api/types';
import { checkCheckpoint, checkInclusion, checkRecordSignature, type Check, type SignedRecord } from '../../verification/registry-record';

/** What the checks read, each loaded from the server (or the reason it could not be). */
export interface CheckInputs {
  record: RegistryRecord;
  keys: PublicJwk[];
  logKey: string;
  /** null while no checkpoint covers the record yet. */
  proof: RegistryInclusionProof | null;
}

type Outcome = Check | 'running' | 'pending';
const CHECKS = [
  { id: 'signature', name: 'Record signature', what: 'Ed25519 over the record\'s canonical JSON, with the published key it names' },
  { id: 'inclusion', name: 'Inclusion in the log', what: 'the RFC 6962 root recomputed from the record and its inclusion proof equals the checkpoint\'s' },
  { id: 'checkpoint', name: 'Checkpoint signature', what: 'the checkpoint is a signed note by the log\'s verifier key' },
] as const;
type CheckId = (typeof CHECKS)[number]['id'];

const failed = (error: unknown): Check => ({ ok: false, detail: error instanceof Error ? error.message : String(error) });

/** Runs the three checks in this browser (WebCrypto), never trusting the server's word, and shows each as pass or fail. */
export function RecordChecks({ inputs }: { inputs: CheckInputs }) {
  // Outcomes belong to the inputs they were computed from: new inputs start every check afresh.
  const [settled, setSettled] = useState<{ from: CheckInputs | null; outcomes: Partial<Record<CheckId, Check>> }>({ from: null, outcomes: {} });
  useEffect(() => {
    let current = true;
    const settle = (id: CheckId) => (outcome: Check) =>
      current && setSettled((s) => ({ from: inputs, outcomes: { ...(s.from === inputs ? s.outcomes : {}), [id]: outcome } }));
    const record = inputs.record as unknown as SignedRecord;
    void checkRecordSignature(record, inputs.keys).catch(failed).then(settle('signature'));
    if (inputs.proof) {
      void checkInclusion(record, inputs.proof).catch(failed).then(settle('inclusion'));
      void checkCheckpoint(inputs.proof.checkpoint, inputs.logKey).catch(failed).then(settle('checkpoint'));
    }
    return () => {
      current = false;
    };
  }, [inputs]);
  const outcomeOf = (id: CheckId): Outcome =>
    (settled.from === inputs ? settled.outcomes[id] : undefined) ?? (id !== 'signature' && !inputs.proof ? 'pending' : 'running');

  return (
    <section aria-labelledby="checks-heading">
      <h2 id="checks-heading">Verified in your browser</h2>
      <ul className="stack">
        {CHECKS.map((check) => {
          const outcome = outcomeOf(check.id);
          const verdict = outcome === 'running' ? 'checking…' : outcome === 'pending' ? 'pending' : outcome.ok ? 'pass' : 'fail';
          return (
            <li key={check.id}>
              <strong>{check.name}: </strong>
              <span data-testid={`check-${check.id}`} className={verdict === 'pass' ? 'ok' : verdict === 'fail' ? 'error-text' : undefined} role="status">
                {verdict === 'pass' ? '✓ pass' : verdict === 'fail' ? '✗ fail' : verdict}
              </span>
              <div className="help">
                {typeof outcome === 'object' ? outcome.detail : outcome === 'pending' ? 'no checkpoint covers this record yet; the page checks again shortly' : check.what}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
