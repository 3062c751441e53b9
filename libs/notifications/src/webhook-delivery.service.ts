import type { LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { WebhookRepository } from '@app/persistence';
import { pinnedLookup } from './pinned-lookup.util.js';
import { signWebhook } from './standard-webhooks.util.js';
import { WebhookTargetError, WebhookTargetService } from './webhook-target.service.js';

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'skipped';

/** One attempt at one delivery, signed in the Standard Webhooks format. */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhookRepository,
    private readonly targets: WebhookTargetService,
  ) {}

  /** One attempt; the last allowed attempt that fails makes a dead letter. Attempts are counted in Postgres. */
  async attempt(deliveryId: string): Promise<DeliveryOutcome> {
    const delivery = await this.webhooks.findForDelivery(deliveryId);
    if (!delivery || delivery.status !== 'pending') return 'skipped';
    const last = delivery.attempts + 1 >= this.config.WEBHOOK_MAX_ATTEMPTS;
    if (delivery.webhookDeleted) {
      await this.webhooks.recordAttempt(deliveryId, { status: 'dead', httpStatus: null, error: 'the webhook was deleted' });
      return 'dead';
    }
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const url = this.targets.parse(delivery.url);
      // One deadline for the attempt: resolving the host (bounded by the same setting) counts against it.
      const deadline = performance.now() + this.config.WEBHOOK_TIMEOUT_MS;
      const checked = await this.targets.resolve(url);
      httpStatus = await this.post(url, checked, delivery.id, JSON.stringify(delivery.payload), delivery.secret, deadline);
      if (httpStatus >= 200 && httpStatus < 300) {
        await this.webhooks.recordAttempt(deliveryId, { status: 'delivered', httpStatus, error: null });
        return 'delivered';
      }
      error = `HTTP ${httpStatus}`;
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
      if (caught instanceof WebhookTargetError) {
        await this.webhooks.recordAttempt(deliveryId, { status: 'dead', httpStatus: null, error });
        return 'dead';
      }
    }
    await this.webhooks.recordAttempt(deliveryId, { status: last ? 'dead' : 'pending', httpStatus, error });
    return last ? 'dead' : 'retry';
  }

  /**
   * POSTs the delivery and answers the response's status. The attempt, from resolving the host to
   * the status line, ends at `deadline` (WEBHOOK_TIMEOUT_MS after it began): a socket timeout alone
   * restarts with every byte, so a receiver trickling its answer would hold the attempt, and a
   * delivery slot, for ever. The body is never read: the status decides, and an endless body
   * cannot keep the attempt open either.
   */
  private post(url: URL, checked: LookupAddress[], id: string, body: string, secret: string, deadline: number): Promise<number> {
    const timestamp = Math.floor(Date.now() / 1000);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const timeoutMs = this.config.WEBHOOK_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          // No pooled socket: one the receiver kept open would outlive the attempt.
          agent: false,
          // Connect only to the addresses that were checked, whatever DNS says now.
          lookup: pinnedLookup(checked),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Clearance-Webhooks/1',
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(secret, id, timestamp, body),
          },
        },
        (response) => {
          clearTimeout(timer);
          resolve(response.statusCode ?? 0);
          response.destroy();
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), Math.max(0, deadline - performance.now()));
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
  }
}
