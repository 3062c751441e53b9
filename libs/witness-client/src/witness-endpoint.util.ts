import { SIGNATURE_TYPE_COSIGNATURE_V1, parseVerifierKey } from '@app/tlog';

/** A witness the log submits to: its base URL and its cosignature/v1 verifier key. */
export interface WitnessEndpoint {
  url: string;
  /** `<name>+<hex key id>+<base64(0x04 ‖ public key)>` */
  verifierKey: string;
}

/** An item of `GET /v1/public/log/witnesses`. */
export interface WitnessListItem {
  name: string;
  verifierKey: string;
}

type Fetch = typeof fetch;

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * The witnesses of REGISTRY_WITNESSES (base URLs) with their keys: pinned by REGISTRY_WITNESS_KEYS
 * (same order) when given, else read once from each witness's `GET <url>/verifier-key` (the
 * project's witness serves it; a third-party witness needs a pinned key).
 */
export async function resolveWitnesses(
  urls: readonly string[],
  pinnedKeys: readonly string[] = [],
  { fetch: fetchImpl = fetch, timeoutMs = 5_000 }: { fetch?: Fetch; timeoutMs?: number } = {},
): Promise<WitnessEndpoint[]> {
  if (pinnedKeys.length > 0 && pinnedKeys.length !== urls.length) throw new RangeError('one pinned witness key per witness URL, in the same order');
  return Promise.all(
    urls.map(async (raw, index) => {
      const url = trimSlash(raw);
      let verifierKey = pinnedKeys[index];
      if (verifierKey === undefined) {
        const response = await fetchImpl(`${url}/verifier-key`, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) throw new Error(`witness ${url}: GET /verifier-key answered ${response.status}`);
        verifierKey = (await response.text()).trim();
      }
      if (parseVerifierKey(verifierKey)?.type !== SIGNATURE_TYPE_COSIGNATURE_V1) throw new Error(`witness ${url}: not a cosignature/v1 verifier key: ${verifierKey}`);
      return { url, verifierKey };
    }),
  );
}

/** `GET /v1/public/log/witnesses`: each witness's name and verifier key. */
export function witnessList(witnesses: readonly WitnessEndpoint[]): WitnessListItem[] {
  return witnesses.map(({ verifierKey }) => ({ name: parseVerifierKey(verifierKey)!.name, verifierKey }));
}
