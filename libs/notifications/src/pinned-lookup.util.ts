import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

/**
 * A `lookup` for `http.request` that answers only with addresses already checked, so DNS cannot
 * send the connection elsewhere after the check. Node 20 asks with `{all: true}` (happy eyeballs)
 * and then needs an array; older callers ask for one address.
 */
export const pinnedLookup =
  (addresses: readonly LookupAddress[]): LookupFunction =>
  (hostname: string, options: LookupOptions, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    const candidates = addresses.filter((a) => family === 0 || a.family === family);
    const first = candidates[0];
    if (!first) {
      const error: NodeJS.ErrnoException = new Error(`${hostname} has no checked IPv${family} address`);
      error.code = 'ENOTFOUND';
      callback(error, options.all ? [] : '', family);
      return;
    }
    if (options.all) callback(null, candidates.map(({ address, family }) => ({ address, family })));
    else callback(null, first.address, first.family);
  };
