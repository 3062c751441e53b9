import { Injectable } from '@nestjs/common';
import { findByIdOr404 } from '@app/http';
import { WebhookRepository } from '@app/persistence';
import type { UserActor } from '@app/workflow';

/** Stops deliveries to one of the caller's organisation's webhooks; another organisation's is 404. */
@Injectable()
export class DeleteWebhookUseCase {
  constructor(private readonly webhooks: WebhookRepository) {}

  async execute(user: UserActor, id: string): Promise<void> {
    await findByIdOr404(id, (webhookId) => this.webhooks.delete(webhookId, user.organisationId), 'no such webhook');
  }
}
