import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { within } from '@app/http';
import { HOST_RESOLVER, type HostResolver } from './host-resolver.util.js';
import { judgeAddress } from './private-address.util.js';

export class WebhookTargetError extends Error {}

/**
 * Webhook targets must be globally routable unless the operator allows private ones. Checked when
 * a webhook is registered and again at each delivery, whose connection is pinned to the addresses
 * checked (so a DNS answer that changes in between cannot redirect it).
 */
@Injectable()
export class WebhookTargetService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(HOST_RESOLVER) private readonly resolveHost: HostResolver,
  ) {}

  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookTargetError('not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookTargetError('only http and https URLs');
    if (url.username || url.password) throw new WebhookTargetError('credentials in the URL are not allowed');
    return url;
  }

  /**
   * Every address of the URL's host (its literal, or all that the host name resolves to), each
   * checked: one address that is not globally routable refuses the target unless private targets
   * are allowed. Delivery connects only to these. A name that does not resolve within
   * WEBHOOK_TIMEOUT_MS fails, its lookup cancelled.
   */
  async resolve(url: URL): Promise<LookupAddress[]> {
    // The URL parser has already canonicalised IPv4 forms (2130706433, 0x7f.1) and IPv6 literals.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const answers = isIP(host) ? [{ address: host, family: isIP(host) }] : await this.lookup(host);
    if (answers.length === 0) throw new WebhookTargetError(`${host} does not resolve`);
    const addresses = answers.map(({ address }) => {
      const family = isIP(address);
      if (family === 0) throw new WebhookTargetError(`${host} resolves to ${address}, which is not an IP address`);
      return { address, family };
    });
    if (!this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS) {
      for (const { address } of addresses) {
        const verdict = judgeAddress(address);
        if (!verdict.routable)
          throw new WebhookTargetError(
            `${address === host ? host : `${host} resolves to ${address}, which`} is not globally routable (${verdict.why}); ` +
              'private targets need WEBHOOK_ALLOW_PRIVATE_TARGETS=true',
          );
      }
    }
    return addresses;
  }

  /** The resolver's answer, or a failure once WEBHOOK_TIMEOUT_MS have passed, whether or not the resolver heeds its signal. */
  private async lookup(host: string): Promise<LookupAddress[]> {
    const timeoutMs = this.config.WEBHOOK_TIMEOUT_MS;
    const deadline = new AbortController();
    // Aborting after an answer or a failure of the resolver's own is a no-op: the signal is no longer heard.
    return within(this.resolveHost(host, deadline.signal), timeoutMs, `${host} did not resolve`).finally(() => deadline.abort());
  }
}
