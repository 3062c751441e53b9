import { Module } from '@nestjs/common';
import { NotificationFanoutService } from './notification-fanout.service.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { WebhookTargetService } from './webhook-target.service.js';

const PROVIDERS = [NotificationFanoutService, WebhookDeliveryService, WebhookTargetService];

/** Inbox fan-out and webhook delivery; needs PersistenceModule and ConfigModule. */
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class NotificationsModule {}
