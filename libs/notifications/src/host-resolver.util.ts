import type { LookupAddress } from 'node:dns';
import { Resolver } from 'node:dns/promises';

/** Every address a host name stands for; the lookup ends when `signal` aborts. */
export type HostResolver = (host: string, signal: AbortSignal) => Promise<LookupAddress[]>;

/** Injection token of the HostResolver; the system's DNS servers unless a test provides another. */
export const HOST_RESOLVER = Symbol('HOST_RESOLVER');

/** RFC 6761 §6.3: `localhost` and the names under it are the loopback addresses, without asking DNS. */
const LOOPBACK: LookupAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

/** The answers that mean "no address of this family", not a failure. */
const NO_ADDRESS = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * Resolves through c-ares (`dns.Resolver`), never the system's `getaddrinfo`. The host is chosen
 * by whoever registers a webhook, and `getaddrinfo` runs on libuv's four-thread pool, which the
 * process shares with file reads, crypto and the host names of its own database and Redis: a few
 * names whose DNS never answers would stall them all, and a thread, once taken, cannot be given
 * back before the system's own timeout. A c-ares query holds no thread and is cancelled at once
 * when `signal` aborts. Names in `/etc/hosts` other than `localhost` are not seen (decisions.md).
 */
export const createHostResolver =
  (servers?: string[]): HostResolver =>
  async (host, signal) => {
    if (host === 'localhost' || host.endsWith('.localhost')) return LOOPBACK;
    signal.throwIfAborted();
    const resolver = new Resolver({ timeout: 1000, tries: 3 });
    if (servers) resolver.setServers(servers);
    const cancel = () => resolver.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const families = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
      const addresses = families.flatMap((answer, index) =>
        answer.status === 'fulfilled' ? answer.value.map((address) => ({ address, family: index === 0 ? 4 : 6 })) : [],
      );
      const failures = families.flatMap((answer) => (answer.status === 'rejected' ? [answer.reason as NodeJS.ErrnoException] : []));
      // A server failure for one family (not "no such address") leaves the answer incomplete: a
      // private address could hide in the half not seen, so nothing is answered.
      const incomplete = failures.find((error) => !NO_ADDRESS.has(error.code ?? ''));
      if (incomplete) throw incomplete;
      if (addresses.length === 0) throw failures[0];
      return addresses;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  };

export const systemHostResolver: HostResolver = createHostResolver();
