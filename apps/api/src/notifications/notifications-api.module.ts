import { Module } from '@nestjs/common';
import { PaginationModule } from '@app/http';
import { NotificationsModule } from '@app/notifications';
import { OperatorLogModule } from '../operator-log/operator-log.module.js';
import { DeleteWebhookUseCase } from './delete-webhook.usecase.js';
import { InboxQuery } from './inbox.query.js';
import { MarkNotificationReadUseCase } from './mark-notification-read.usecase.js';
import { NotificationsController } from './notifications.controller.js';
import { RedeliverWebhookUseCase } from './redeliver-webhook.usecase.js';
import { RegisterWebhookUseCase } from './register-webhook.usecase.js';
import { WebhookDeliveriesController } from './webhook-deliveries.controller.js';
import { WebhookDeliveriesQuery } from './webhook-deliveries.query.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksQuery } from './webhooks.query.js';

@Module({
  imports: [NotificationsModule, PaginationModule, OperatorLogModule],
  controllers: [NotificationsController, WebhooksController, WebhookDeliveriesController],
  providers: [
    InboxQuery,
    MarkNotificationReadUseCase,
    RegisterWebhookUseCase,
    WebhooksQuery,
    DeleteWebhookUseCase,
    WebhookDeliveriesQuery,
    RedeliverWebhookUseCase,
  ],
})
export class NotificationsApiModule {}
