import { Module } from '@nestjs/common';
import { NotificationFanoutService } from './notification-fanout.service.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { HOST_RESOLVER, WebhookTargetService, systemHostResolver } from './webhook-target.service.js';

const PROVIDERS = [
  NotificationFanoutService,
  WebhookDeliveryService,
  WebhookTargetService,
  { provide: HOST_RESOLVER, useValue: systemHostResolver },
];

/** Inbox fan-out and webhook delivery; needs PersistenceModule and ConfigModule. */
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class NotificationsModule {}
