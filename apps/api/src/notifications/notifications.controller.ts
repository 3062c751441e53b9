import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '@app/auth';
import { parseQuery } from '@app/http';
import type { UserActor } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { notificationPageSchema, notificationSchema } from './dto/notifications.responses.js';
import { InboxQuery, inboxQuerySchema } from './inbox.query.js';
import { MarkNotificationReadUseCase } from './mark-notification-read.usecase.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/notifications')
export class NotificationsController {
  constructor(
    private readonly inboxQuery: InboxQuery,
    private readonly markRead: MarkNotificationReadUseCase,
  ) {}

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
    return this.inboxQuery.execute(user, parseQuery(inboxQuerySchema, query));
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
    return this.markRead.execute(user, id);
  }
}
