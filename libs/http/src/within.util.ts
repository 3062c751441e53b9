/**
 * `promise`, or a rejection naming `what` once `ms` have passed. For calls that must answer even
 * when Postgres or Redis does not (health probes, scrape-time counts, the wrong-token limiter, adding jobs); the
 * timer does not keep the process alive.
 */
export const within = <T>(promise: Promise<T>, ms: number, what = 'no answer'): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms).unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
};
