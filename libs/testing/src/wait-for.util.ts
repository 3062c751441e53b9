import { expectOk, type AnyResponse, type OkBodyOf } from './http-client.js';

/** Polls until `probe` returns a value that passes `done`, sleeping between tries; fails at the deadline. */
export const waitFor = async <T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await probe();
  }
  return last;
};

/** Polls a request until its 2xx body passes `done`; a refusal fails at once, with its status and body. */
export const waitForOk = async <R extends AnyResponse>(
  request: () => Promise<R>,
  done: (body: OkBodyOf<R>) => boolean,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<OkBodyOf<R>> => waitFor(async () => expectOk(await request(), options.what), done, options);

/**
 * Whether `promise` settles (either way) within `ms`. The timer goes with the answer: one left
 * running would keep a Jest worker alive after its last test.
 */
export const settlesWithin = async (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
};
