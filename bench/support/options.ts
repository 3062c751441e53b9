/** `--flag=value`, else the environment variable, else the default. */
export const option = (flag: string, env: string, fallback: string): string => {
  const arg = process.argv.find((a) => a.startsWith(`--${flag}=`));
  return arg ? arg.slice(flag.length + 3) : (process.env[env] ?? fallback);
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Benchmarks only ever load services on this machine. */
export const assertLoopback = (...urls: string[]): void => {
  for (const url of urls) if (!LOOPBACK.has(new URL(url).hostname)) throw new Error(`the bench only targets loopback services, not ${url}`);
};
