import { useState } from 'react';
import { apiErrorOf } from '../api/client';
import { ProblemMessage } from './problem';

interface Props {
  label: string;
  /** The name to save under when the response names none. */
  fallbackName: string;
  /** One openapi-fetch call with `parseAs: 'blob'`. */
  fetchFile: () => Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

/**
 * A file the api answers only to the bearer token: a plain link would carry none, so it is
 * fetched, then saved through an object URL under the name in Content-Disposition.
 */
export function DownloadButton({ label, fallbackName, fetchFile }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data, error: refusal, response } = await fetchFile();
      // The server's problem says why (a 503 reports-busy says when to try again).
      if (!response.ok) throw apiErrorOf(response.status, refusal ?? `The download failed (${response.status}).`);
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
      const url = URL.createObjectURL(data as Blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="secondary" disabled={busy} aria-busy={busy} onClick={() => void download()}>
        {busy ? 'Preparing…' : label}
      </button>
      <ProblemMessage error={error} />
    </>
  );
}
