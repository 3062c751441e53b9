import { useCallback, useEffect, useState } from 'react';
import { LatestOnly, type Outcome } from './latest-only';

interface Settled<T> {
  /** The load function this result came from: a result of another one is not current. */
  from: unknown;
  data: T | null;
  error: Error | null;
}

/**
 * Runs `load` on mount and whenever it changes (wrap it in `useCallback` with what it depends on);
 * `reload` runs it again. Only the latest load reports: a superseded one is aborted through its
 * signal and its answer dropped, and `setData` (a newer answer, from a write) supersedes any load
 * still running.
 */
export const useLoad = <T>(load: (signal: AbortSignal) => Promise<T>) => {
  const [latest] = useState(() => new LatestOnly());
  const [settled, setSettled] = useState<Settled<T>>({ from: null, data: null, error: null });

  const report = useCallback(
    (outcome: Outcome<T>) =>
      setSettled((s) => (outcome.ok ? { from: load, data: outcome.value, error: null } : { from: load, data: s.data, error: outcome.error })),
    [load],
  );
  const reload = useCallback(() => latest.run(load, report), [latest, load, report]);
  const setData = useCallback(
    (data: T) => {
      latest.cancel();
      setSettled({ from: load, data, error: null });
    },
    [latest, load],
  );

  useEffect(() => {
    void latest.run(load, report);
    return () => latest.cancel();
  }, [latest, load, report]);

  return { data: settled.data, error: settled.error, loading: settled.from !== load, reload, setData };
};
