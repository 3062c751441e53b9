import { useState } from 'react';
import { ASSESSED_TIERS, type Tier } from '../../api/types';
import { uploadEvidence } from '../../api/upload';
import { evidenceCache } from '../../components/evidence-cache';
import { FieldErrors, type FieldProblem } from '../../components/field-errors';
import { formatBytes, words } from '../../components/format';
import { ProblemMessage } from '../../components/problem';
import type { EvaluationRow } from './form-state';

const FIELDS = /\.(method|tier|summary|evidenceIds)/;

/** One domain's evaluation: tier, method, summary and its evidence files, uploaded with progress. */
export function EvaluationFields({ caseId, domain, row, problems, pathOf, onChange }: {
  caseId: string;
  domain: string;
  row: EvaluationRow;
  problems: FieldProblem[];
  pathOf: (field: string) => FieldProblem[];
  onChange: (patch: Partial<EvaluationRow>) => void;
}) {
  const [progress, setProgress] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<Error | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const base = `evaluation-${domain}`;

  const upload = async () => {
    if (!file) return;
    setProgress(0);
    try {
      const meta = await uploadEvidence(caseId, file, setProgress);
      evidenceCache.set(meta.id, { sha256: meta.sha256, size: meta.size, name: file.name });
      onChange({ evidence: [...row.evidence, { id: meta.id, sha256: meta.sha256, size: meta.size, name: file.name }] });
      setFile(null);
    } catch (e) {
      setUploadError(e as Error);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div className="group" role="group" aria-labelledby={`${base}-heading`}>
      <h3 id={`${base}-heading`}>{words(domain)}</h3>
      <FieldErrors problems={problems.filter((p) => !FIELDS.test(p.path))} />
      <div className="row">
        <div className="field">
          <label htmlFor={`${base}-tier`}>Tier ({words(domain)})</label>
          <select id={`${base}-tier`} value={row.tier} onChange={(e) => onChange({ tier: e.target.value as Tier | '' })}>
            <option value="">choose…</option>
            {ASSESSED_TIERS.map((t) => <option key={t} value={t}>{words(t)}</option>)}
          </select>
          <FieldErrors problems={pathOf('tier')} />
        </div>
        <div className="field">
          <label htmlFor={`${base}-method`}>Method ({words(domain)})</label>
          <input id={`${base}-method`} list="evaluation-methods" value={row.method} onChange={(e) => onChange({ method: e.target.value })} />
          <FieldErrors problems={pathOf('method')} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${base}-summary`}>Summary of the evaluation ({words(domain)})</label>
        <textarea id={`${base}-summary`} rows={2} value={row.summary} onChange={(e) => onChange({ summary: e.target.value })} />
        <FieldErrors problems={pathOf('summary')} />
      </div>
      <div className="evidence">
        <p><strong>Evidence</strong></p>
        {row.evidence.length === 0 ? <p>No evidence attached.</p> : (
          <ul aria-label={`Evidence for ${words(domain)}`}>
            {row.evidence.map((x) => (
              <li key={x.id}>
                {x.name ?? x.id}
                {x.size !== undefined && ` (${formatBytes(x.size)})`} — SHA-256 <code className="hash" data-testid="evidence-sha256">{x.sha256 ?? 'shown on the case page'}</code>{' '}
                <button type="button" className="link" onClick={() => onChange({ evidence: row.evidence.filter((y) => y.id !== x.id) })}>
                  Detach {x.name ?? 'file'}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="row">
          <div className="field">
            <label htmlFor={`${base}-file`}>Evidence file for {words(domain)}</label>
            <input id={`${base}-file`} type="file" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setUploadError(null); }} />
          </div>
          <button type="button" className="secondary" disabled={!file || progress !== null} onClick={() => void upload()}>
            Upload evidence for {words(domain)}
          </button>
        </div>
        {progress !== null && (
          <div className="progress">
            <label htmlFor={`${base}-progress`}>Uploading {file?.name}</label>
            <progress id={`${base}-progress`} max={1} value={progress}>{Math.round(progress * 100)}%</progress>
            <span aria-live="polite">{Math.round(progress * 100)}%</span>
          </div>
        )}
        <FieldErrors problems={pathOf('evidenceIds')} />
        <ProblemMessage error={uploadError} />
      </div>
    </div>
  );
}
