import { Injectable } from '@nestjs/common';
import { NotificationFanoutRepository } from '@app/persistence';
import { OutboxKinds } from '@app/queue';
import { notificationAudience, type HistoryEventType, type CaseState, type Party } from '@app/workflow';

const REASONS: Record<Party, string> = {
  developer: 'your organisation must act on this case',
  assigned_auditors: 'you are assigned to this case',
  regulators: 'a regulator must act on this case',
};

/**
 * Tells the parties who must act next (inbox rows) and the organisations involved in the
 * case (webhook deliveries, sent through the outbox). One read, then at most one writing
 * statement (atomic on its own), and every row is unique per step, so a fan-out that runs
 * twice adds nothing.
 */
@Injectable()
export class NotificationFanoutService {
  constructor(private readonly fanouts: NotificationFanoutRepository) {}

  async fanOut(caseId: string, seq: number): Promise<{ notified: number; deliveries: number }> {
    const source = await this.fanouts.source(caseId, seq);
    if (!source) return { notified: 0, deliveries: 0 };
    const { item } = source;
    const type = item.type as HistoryEventType;
    const parties = notificationAudience(type, item.fromState as CaseState, item.toState as CaseState);
    const actorId = item.actor === 'system' ? null : item.actor.id;

    const recipients = new Map<string, string>();
    for (const party of parties) {
      const ids =
        party === 'developer'
          ? source.developerUserIds
          : party === 'assigned_auditors'
            ? source.assignedAuditorIds
            : source.regulatorIds;
      for (const id of ids) if (id !== actorId && !recipients.has(id)) recipients.set(id, REASONS[party]);
    }
    // Nobody to tell and no webhook to call: nothing to write.
    if (recipients.size === 0 && source.webhookIds.length === 0) return { notified: 0, deliveries: 0 };

    const payload = {
      type: 'case.event',
      timestamp: item.at,
      data: { caseId, seq, event: type, fromState: item.fromState, toState: item.toState, at: item.at, hash: item.hash },
    };
    return this.fanouts.record({
      caseId,
      seq,
      eventType: type,
      toState: item.toState,
      recipients: [...recipients].map(([userId, reason]) => ({ userId, reason })),
      webhookIds: source.webhookIds,
      deliveryPayload: payload,
      outboxKind: OutboxKinds.webhookDelivery,
    });
  }
}
