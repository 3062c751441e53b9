import { Module } from '@nestjs/common';
import { NotificationsModule } from '@app/notifications';
import { NotificationsController } from './notifications.controller.js';
import { WebhookDeliveriesController } from './webhook-deliveries.controller.js';
import { WebhooksController } from './webhooks.controller.js';

@Module({
  imports: [NotificationsModule],
  controllers: [NotificationsController, WebhooksController, WebhookDeliveriesController],
})
export class NotificationsApiModule {}
