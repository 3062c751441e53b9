import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { isPrivateAddress } from './private-address.util.js';

export class WebhookTargetError extends Error {}

/**
 * Webhook targets must be public unless the operator allows private ones. Checked when a
 * webhook is registered and again at each delivery, whose connection is pinned to the
 * address checked (so a DNS answer that changes in between cannot redirect it).
 */
@Injectable()
export class WebhookTargetService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

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

  /** The address to connect to; refuses private, loopback and link-local targets unless allowed. */
  async resolve(url: URL): Promise<{ address: string; family: number }> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
    if (addresses.length === 0) throw new WebhookTargetError(`${host} does not resolve`);
    if (!this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS) {
      const blocked = addresses.find((a) => isPrivateAddress(a.address));
      if (blocked)
        throw new WebhookTargetError(
          `${host} resolves to ${blocked.address}, a private, loopback or link-local address (set WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow)`,
        );
    }
    return addresses[0]!;
  }
}
