import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { findByIdOr404 } from '@app/http';
import { OutboxRepository, WebhookRepository } from '@app/persistence';
import { OutboxKinds } from '@app/queue';

/** Sends a dead letter again with fresh attempts: revived and queued through the outbox in one transaction. */
@Injectable()
export class RedeliverWebhookUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly webhooks: WebhookRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async execute(id: string) {
    await findByIdOr404(
      id,
      (deliveryId) =>
        this.dataSource.transaction(async (db) => {
          if (!(await this.webhooks.revive(deliveryId, db))) return false;
          await this.outbox.add([{ caseId: null, kind: OutboxKinds.webhookDelivery, payload: { deliveryId } }], db);
          return true;
        }),
      'no such dead delivery',
    );
    return { id, status: 'pending' as const };
  }
}
