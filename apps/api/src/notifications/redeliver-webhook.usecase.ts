import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { findByIdOr404 } from '@app/http';
import { OutboxRepository, WebhookRepository } from '@app/persistence';
import { OutboxKinds } from '@app/queue';
import type { UserActor } from '@app/workflow';
import { OperatorLogService } from '../operator-log/operator-log.service.js';
import { OperatorLogTypes } from '../operator-log/operator-log-types.js';

/** Sends a dead letter again with fresh attempts: revived, queued through the outbox and logged (operator log) in one transaction. */
@Injectable()
export class RedeliverWebhookUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly webhooks: WebhookRepository,
    private readonly outbox: OutboxRepository,
    private readonly operatorLog: OperatorLogService,
  ) {}

  async execute(admin: UserActor, id: string) {
    await findByIdOr404(
      id,
      (deliveryId) =>
        this.dataSource.transaction(async (db) => {
          if (!(await this.webhooks.revive(deliveryId, db))) return false;
          await this.outbox.add([{ caseId: null, kind: OutboxKinds.webhookDelivery, payload: { deliveryId } }], db);
          await this.operatorLog.append(db, { type: OperatorLogTypes.webhookRedelivered, actor: admin, payload: { deliveryId } });
          return true;
        }),
      'no such dead delivery',
    );
    return { id, status: 'pending' as const };
  }
}
