import { useState } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/client';
import type { Assessment } from '../api/types';
import { evidenceCache } from './evidence-cache';
import { formatBytes, words } from './format';
import { ProblemMessage } from './problem';

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

interface Checked { sha256: string; size: number; matches: boolean }

/** Evidence named by the assessment: download with the bearer token, hash checked in the browser. */
export function EvidenceList({ caseId, assessment }: { caseId: string; assessment: Assessment | null }) {
  const files = (assessment?.evaluations ?? []).flatMap((e) => (e.evidenceIds ?? []).map((id) => ({ id, domain: e.domain })));
  const [checked, setChecked] = useState<Record<string, Checked>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);

  const download = async (evidenceId: string) => {
    setBusy(evidenceId);
    setError(null);
    try {
      const result = await api.GET('/v1/cases/{id}/evidence/{evidenceId}', { params: { path: { id: caseId, evidenceId } }, parseAs: 'blob' });
      if (!result.response.ok) throw new ApiError(result.response.status, { detail: `The evidence could not be downloaded (${result.response.status}).` });
      const blob = result.data as unknown as Blob;
      const sha256 = hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
      const announced = (result.response.headers.get('etag') ?? '').replace(/"/g, '');
      const name = /filename="([^"]+)"/.exec(result.response.headers.get('content-disposition') ?? '')?.[1] ?? evidenceId;
      evidenceCache.set(evidenceId, { sha256, size: blob.size, name });
      setChecked((c) => ({ ...c, [evidenceId]: { sha256, size: blob.size, matches: !announced || announced === sha256 } }));
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">Evidence</h2>
      {files.length === 0 ? <p>The assessment names no evidence.</p> : (
        <table>
          <caption className="visually-hidden">Evidence files with their SHA-256</caption>
          <thead><tr><th scope="col">Domain</th><th scope="col">File</th><th scope="col">SHA-256</th><th scope="col">Download</th></tr></thead>
          <tbody>
            {files.map(({ id, domain }) => {
              const known = evidenceCache.get(id);
              const check = checked[id];
              return (
                <tr key={id}>
                  <td>{words(domain)}</td>
                  <td>{known.name ?? id}{known.size !== undefined ? ` (${formatBytes(known.size)})` : ''}</td>
                  <td>
                    <code className="hash">{check?.sha256 ?? known.sha256 ?? 'download to compute'}</code>
                    {check && <span className={check.matches ? 'ok' : 'error'}> {check.matches ? '✓ matches the server' : '✗ differs from the server'}</span>}
                  </td>
                  <td>
                    <button type="button" className="secondary" disabled={busy === id} onClick={() => void download(id)}>
                      {busy === id ? 'Downloading…' : `Download ${known.name ?? `evidence ${id.slice(0, 8)}`}`}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ProblemMessage error={error} />
    </section>
  );
}
