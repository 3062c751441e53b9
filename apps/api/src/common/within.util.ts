/**
 * `promise`, or a rejection once `ms` have passed. For probes (health, scrape-time counts) that
 * must answer even when Postgres or Redis does not; the timer does not keep the process alive.
 */
export const within = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
};
