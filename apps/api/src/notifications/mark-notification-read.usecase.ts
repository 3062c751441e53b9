import { Injectable } from '@nestjs/common';
import { findByIdOr404 } from '@app/http';
import { NotificationRepository } from '@app/persistence';
import type { UserActor } from '@app/workflow';
import { notificationView } from './inbox.query.js';

/** Marks one notification of the caller's inbox read; another's is 404. */
@Injectable()
export class MarkNotificationReadUseCase {
  constructor(private readonly notifications: NotificationRepository) {}

  async execute(user: UserActor, id: string) {
    const row = await findByIdOr404(id, (notificationId) => this.notifications.markRead(user.id, notificationId), 'no such notification in your inbox');
    return notificationView(row);
  }
}
