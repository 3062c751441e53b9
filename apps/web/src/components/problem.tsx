import { ApiError } from '../api/client';

/** An error in words: the problem+json `detail`, with the guard reasons and field problems it lists. */
export function ProblemMessage({ error, id }: { error: Error | null; id?: string }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  return (
    <div className="error" role="alert" id={id}>
      <p>
        <strong>{problem?.title ? `${problem.title}: ` : 'Error: '}</strong>
        {error.message}
      </p>
      {problem?.reasons && problem.reasons.length > 0 && (
        <ul>
          {problem.reasons.map((r, i) => (
            <li key={i}>{r.message}</li>
          ))}
        </ul>
      )}
      {problem?.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Shown while something loads; announced politely to screen readers. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}
