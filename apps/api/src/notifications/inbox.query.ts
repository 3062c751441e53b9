import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { pageSchema, paginate, parseQuery } from '@app/http';
import { NotificationRepository, iso, type NotificationRow } from '@app/persistence';
import type { UserActor } from '@app/workflow';

export const inboxQuerySchema = z.strictObject({ ...pageSchema, unread: z.enum(['true', 'false']).optional() });

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
  constructor(private readonly notifications: NotificationRepository) {}

  async execute(user: UserActor, rawQuery: unknown) {
    const q = parseQuery(inboxQuerySchema, rawQuery);
    return paginate({
      fingerprint: `inbox:${user.id}:${q.unread ?? ''}`,
      cursor: q.cursor,
      limit: q.limit,
      fetch: (after, limit) => this.notifications.page(user.id, after as [string, string] | null, limit, q.unread === 'true'),
      keyOf: (row) => [row.sortKey, row.id],
      view: notificationView,
    });
  }
}
