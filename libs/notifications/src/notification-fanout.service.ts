import { Injectable } from '@nestjs/common';
import {
  AssignmentRepository,
  CaseRepository,
  HistoryRepository,
  NotificationRepository,
  OrganisationRepository,
  UserRepository,
  WebhookRepository,
} from '@app/persistence';
import { notificationAudience, Roles, type CaseEventType, type CaseState, type Party } from '@app/workflow';

const REASONS: Record<Party, string> = {
  developer: 'your organisation must act on this case',
  assigned_auditors: 'you are assigned to this case',
  regulators: 'a regulator must act on this case',
};

/**
 * Tells the parties who must act next (inbox rows) and the organisations involved in the
 * case (webhook deliveries). Both are unique per step, so a fan-out that runs twice adds nothing.
 */
@Injectable()
export class NotificationFanoutService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly history: HistoryRepository,
    private readonly assignments: AssignmentRepository,
    private readonly users: UserRepository,
    private readonly organisations: OrganisationRepository,
    private readonly notifications: NotificationRepository,
    private readonly webhooks: WebhookRepository,
  ) {}

  /** Returns the pending webhook deliveries of the step, to be sent. */
  async fanOut(caseId: string, seq: number): Promise<{ notified: number; deliveries: string[] }> {
    const [item] = await this.history.page(caseId, seq - 1, 1);
    const row = await this.cases.findById(caseId);
    if (!item || item.seq !== seq || !row) return { notified: 0, deliveries: [] };
    const type = item.type as CaseEventType;
    const parties = notificationAudience(type, item.fromState as CaseState, item.toState as CaseState);
    const actorId = item.actor === 'system' ? null : item.actor.id;

    const recipients = new Map<string, string>();
    for (const party of parties) {
      const ids =
        party === 'developer'
          ? await this.users.idsInOrganisation(row.developerOrganisationId)
          : party === 'assigned_auditors'
            ? row.context.assignments.map((a) => a.auditorId)
            : await this.users.idsWithRole(Roles.regulator);
      for (const id of ids) if (id !== actorId && !recipients.has(id)) recipients.set(id, REASONS[party]);
    }
    const notified = await this.notifications.addMany(
      [...recipients].map(([userId, reason]) => ({ userId, caseId, seq, eventType: type, toState: item.toState, reason })),
    );

    const firms = (await this.assignments.list(caseId)).map((a) => a.auditFirmId);
    const regulators = await this.organisations.idsOfKind('regulator');
    const involved = [...new Set([row.developerOrganisationId, ...firms, ...regulators])];
    const hooks = await this.webhooks.subscribers(involved, type);
    const payload = {
      type: 'case.event',
      timestamp: item.at,
      data: { caseId, seq, event: type, fromState: item.fromState, toState: item.toState, at: item.at, hash: item.hash },
    };
    const deliveries = await this.webhooks.addDeliveries(
      hooks.map((hook) => ({ webhookId: hook.id, caseId, seq, eventType: type, payload })),
    );
    return { notified, deliveries };
  }
}
