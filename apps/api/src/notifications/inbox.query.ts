import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { KEYSETS, Paginator, pageSchema } from '@app/http';
import { NotificationRepository, iso, type NotificationRow } from '@app/persistence';
import type { UserActor } from '@app/workflow';

export const inboxQuerySchema = z.strictObject({ ...pageSchema, unread: z.enum(['true', 'false']).optional() });

export type InboxQueryParams = z.infer<typeof inboxQuerySchema>;

export const notificationView = (n: NotificationRow) => ({
  id: n.id,
  caseId: n.caseId,
  seq: n.seq,
  eventType: n.eventType,
  toState: n.toState,
  reason: n.reason,
  createdAt: iso(n.createdAt),
  readAt: iso(n.readAt),
});

/** The caller's own inbox, newest first. */
@Injectable()
export class InboxQuery {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly paginator: Paginator,
  ) {}

  async execute(user: UserActor, q: InboxQueryParams) {
    return this.paginator.paginate(q, {
      fingerprint: `inbox:${user.id}:${q.unread ?? ''}`,
      keyset: KEYSETS.timeAndId,
      fetch: (after, limit) => this.notifications.page(user.id, after, limit, q.unread === 'true'),
      keyOf: (row) => [row.sortKey, row.id],
      view: notificationView,
    });
  }
}
