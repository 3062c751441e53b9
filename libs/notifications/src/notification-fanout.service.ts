import { Injectable } from '@nestjs/common';
import { NotificationFanoutRepository, type FanOutAudience, type FanOutStep } from '@app/persistence';
import { OutboxKinds } from '@app/queue';
import { NOTIFICATION_AUDIENCE, type Party } from '@app/workflow';

const REASONS: Record<Party, string> = {
  developer: 'your organisation must act on this case',
  assigned_auditors: 'you are assigned to this case',
  regulators: 'a regulator must act on this case',
};

const AUDIENCE: FanOutAudience = { ...NOTIFICATION_AUDIENCE, reasons: REASONS, deliveryKind: OutboxKinds.webhookDelivery };

/**
 * Tells the parties who must act next (inbox rows, by libs/workflow's audience rule) and the
 * organisations involved in the case (webhook deliveries, sent through the outbox). One statement,
 * atomic on its own, that also acknowledges the job's outbox row; every row is unique per step,
 * so a fan-out that runs twice adds nothing.
 */
@Injectable()
export class NotificationFanoutService {
  constructor(private readonly fanouts: NotificationFanoutRepository) {}

  /** `outboxId`: the relayed job's outbox row, acknowledged with the fan-out's writes. */
  async fanOut(caseId: string, seq: number, outboxId: string | null = null): Promise<{ notified: number; deliveries: number }> {
    return this.fanouts.fanOut(caseId, seq, AUDIENCE, outboxId);
  }

  /** Many steps in one statement, all or nothing; each step's `outboxId` is acknowledged with it. */
  async fanOutMany(steps: readonly FanOutStep[]): Promise<{ notified: number; deliveries: number }> {
    return this.fanouts.fanOutMany(steps, AUDIENCE);
  }
}
