import { Injectable } from '@nestjs/common';
import { WebhookRepository, iso, type WebhookRow } from '@app/persistence';
import type { UserActor } from '@app/workflow';

const webhookView = (hook: WebhookRow) => ({ id: hook.id, url: hook.url, events: hook.events, createdAt: iso(hook.createdAt) });

/** The caller's organisation's webhooks (never their secrets). */
@Injectable()
export class WebhooksQuery {
  constructor(private readonly webhooks: WebhookRepository) {}

  async execute(user: UserActor) {
    return { items: (await this.webhooks.listForOrganisation(user.organisationId)).map(webhookView), nextCursor: null };
  }
}
