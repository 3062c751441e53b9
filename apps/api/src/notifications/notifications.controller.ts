import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser } from '@app/auth';
import { decodeCursor, encodeCursor, pageSchema, parseQuery } from '@app/cases';
import { NotificationRepository, iso, type NotificationRow } from '@app/persistence';
import { notFound } from '@app/problems';
import type { UserActor } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { notificationPageSchema, notificationSchema } from './dto/notifications.responses.js';

const inboxQuerySchema = z.strictObject({ ...pageSchema, unread: z.enum(['true', 'false']).optional() });

const view = (n: NotificationRow) => ({
  id: n.id,
  caseId: n.caseId,
  seq: n.seq,
  eventType: n.eventType,
  toState: n.toState,
  reason: n.reason,
  createdAt: iso(n.createdAt),
  readAt: iso(n.readAt),
});

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationRepository) {}

  @Get()
  @ApiOperation({
    operationId: 'listNotifications',
    summary: 'Your own inbox, newest first; ?unread=true for unread only',
    description: 'Any user, its own inbox only: one item per case event that concerns the caller. Keyset paginated.',
  })
  @ApiQueryFrom(inboxQuerySchema)
  @ApiJson(200, notificationPageSchema)
  @ApiProblems(400, 401)
  async inbox(@Query() query: unknown, @CurrentUser() user: UserActor) {
    const q = parseQuery(inboxQuerySchema, query);
    const fingerprint = `inbox:${user.id}:${q.unread ?? ''}`;
    const after = decodeCursor(q.cursor, fingerprint) as [string, string] | null;
    const rows = await this.notifications.page(user.id, after, q.limit + 1, q.unread === 'true');
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return {
      items: items.map(view),
      nextCursor: rows.length > q.limit && last ? encodeCursor(fingerprint, [last.sortKey, last.id]) : null,
    };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'markNotificationRead',
    summary: 'Mark one of your notifications read',
    description: 'Any user, in its own inbox. 200 with the item; marking it again keeps its first `readAt`; an item of another user\'s inbox is 404.',
  })
  @ApiJson(200, notificationSchema, 'the notification, read')
  @ApiProblems(401, 404)
  async read(@Param('id') id: string, @CurrentUser() user: UserActor) {
    const row = z.uuid().safeParse(id).success ? await this.notifications.markRead(user.id, id) : null;
    if (!row) throw notFound('no such notification in your inbox');
    return view(row);
  }
}
