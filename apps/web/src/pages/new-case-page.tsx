import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, read } from '../api/client';
import { ProblemMessage } from '../components/problem';
import { usePageTitle } from '../components/session';
import { FieldErrors, errorsUnder } from '../components/field-errors';
import { ApiError } from '../api/client';

export function NewCasePage() {
  usePageTitle('New case');
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [checkpoint, setCheckpoint] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = error instanceof ApiError ? (error.problem.errors ?? []) : [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const model = { name: name.trim(), version: version.trim(), ...(checkpoint.trim() ? { checkpointSha256: checkpoint.trim().toLowerCase() } : {}) };
      const created = await read(api.POST('/v1/cases', { body: { model } }));
      await navigate(`/cases/${created.id}/assessment`);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-case">
      <h1 id="new-case">New case</h1>
      <p>One case per model version: its pre-release risk assessment and release decision for each component.</p>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <div className="field">
          <label htmlFor="model-name">Model name</label>
          <input id="model-name" required value={name} onChange={(e) => setName(e.target.value)} />
          <FieldErrors problems={errorsUnder(problems, '$.model.name')} />
        </div>
        <div className="field">
          <label htmlFor="model-version">Version</label>
          <input id="model-version" required value={version} onChange={(e) => setVersion(e.target.value)} />
          <FieldErrors problems={errorsUnder(problems, '$.model.version')} />
        </div>
        <div className="field">
          <label htmlFor="model-checkpoint">Checkpoint SHA-256 (optional for now; needed to submit weights above internal)</label>
          <input id="model-checkpoint" className="mono" pattern="[0-9a-fA-F]{64}" title="64 hexadecimal characters" value={checkpoint} onChange={(e) => setCheckpoint(e.target.value)} />
          <FieldErrors problems={errorsUnder(problems, '$.model.checkpointSha256')} />
        </div>
        <button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create case'}</button>
        <ProblemMessage error={error} />
      </form>
    </section>
  );
}
