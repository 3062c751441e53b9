import { Module } from '@nestjs/common';
import { WitnessAlertRepository } from '@app/persistence';
import { NotificationFanoutService } from './notification-fanout.service.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { HOST_RESOLVER, systemHostResolver } from './host-resolver.util.js';
import { WebhookTargetService } from './webhook-target.service.js';
import { WitnessAlertNoticeService } from './witness-alert-notice.service.js';

const PROVIDERS = [
  NotificationFanoutService,
  WebhookDeliveryService,
  WebhookTargetService,
  WitnessAlertRepository,
  WitnessAlertNoticeService,
  { provide: HOST_RESOLVER, useValue: systemHostResolver },
];

/** Inbox fan-out, webhook delivery and witness-alert notices; needs PersistenceModule and ConfigModule. */
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class NotificationsModule {}
