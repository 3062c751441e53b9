import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AssignmentRepository,
  CaseRepository,
  HistoryRepository,
  NotificationRepository,
  OrganisationRepository,
  OutboxRepository,
  UserRepository,
  WebhookRepository,
} from '@app/persistence';
import { OutboxKinds } from '@app/queue';
import { notificationAudience, Roles, type CaseEventType, type CaseState, type Party } from '@app/workflow';

const REASONS: Record<Party, string> = {
  developer: 'your organisation must act on this case',
  assigned_auditors: 'you are assigned to this case',
  regulators: 'a regulator must act on this case',
};

/**
 * Tells the parties who must act next (inbox rows) and the organisations involved in the
 * case (webhook deliveries, sent through the outbox). One transaction, and every row is
 * unique per step, so a fan-out that runs twice adds nothing.
 */
@Injectable()
export class NotificationFanoutService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly history: HistoryRepository,
    private readonly assignments: AssignmentRepository,
    private readonly users: UserRepository,
    private readonly organisations: OrganisationRepository,
    private readonly notifications: NotificationRepository,
    private readonly webhooks: WebhookRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async fanOut(caseId: string, seq: number): Promise<{ notified: number; deliveries: number }> {
    return this.dataSource.transaction((db) => this.fanOutIn(caseId, seq, db));
  }

  private async fanOutIn(caseId: string, seq: number, db: EntityManager): Promise<{ notified: number; deliveries: number }> {
    const [item] = await this.history.page(caseId, seq - 1, 1, db);
    const row = await this.cases.findById(caseId, db);
    if (!item || item.seq !== seq || !row) return { notified: 0, deliveries: 0 };
    const type = item.type as CaseEventType;
    const parties = notificationAudience(type, item.fromState as CaseState, item.toState as CaseState);
    const actorId = item.actor === 'system' ? null : item.actor.id;

    const recipients = new Map<string, string>();
    for (const party of parties) {
      const ids =
        party === 'developer'
          ? await this.users.idsInOrganisation(row.developerOrganisationId, db)
          : party === 'assigned_auditors'
            ? row.context.assignments.map((a) => a.auditorId)
            : await this.users.idsWithRole(Roles.regulator, db);
      for (const id of ids) if (id !== actorId && !recipients.has(id)) recipients.set(id, REASONS[party]);
    }
    const notified = await this.notifications.addMany(
      [...recipients].map(([userId, reason]) => ({ userId, caseId, seq, eventType: type, toState: item.toState, reason })),
      db,
    );

    const firms = (await this.assignments.list(caseId, db)).map((a) => a.auditFirmId);
    const regulators = await this.organisations.idsOfKind('regulator', db);
    const involved = [...new Set([row.developerOrganisationId, ...firms, ...regulators])];
    const hooks = await this.webhooks.subscribers(involved, type, db);
    const payload = {
      type: 'case.event',
      timestamp: item.at,
      data: { caseId, seq, event: type, fromState: item.fromState, toState: item.toState, at: item.at, hash: item.hash },
    };
    const deliveries = await this.webhooks.addDeliveries(
      hooks.map((hook) => ({ webhookId: hook.id, caseId, seq, eventType: type, payload })),
      db,
    );
    await this.outbox.add(
      deliveries.map((deliveryId) => ({ caseId, kind: OutboxKinds.webhookDelivery, payload: { deliveryId } })),
      db,
    );
    return { notified, deliveries: deliveries.length };
  }
}
