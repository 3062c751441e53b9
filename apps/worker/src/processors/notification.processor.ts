import { Injectable } from '@nestjs/common';
import { NotificationFanoutService, WebhookDeliveryService } from '@app/notifications';
import { JobNames, type JobDataMap } from '@app/queue';
import type { Job } from 'bullmq';
import { outboxIdOf, type JobHandler } from './job-handler.js';

/** Fans a step out to inboxes and webhook deliveries, acknowledging in the same statement; the relay sends the deliveries. */
@Injectable()
export class NotificationProcessor implements JobHandler<typeof JobNames.notifyTransition> {
  readonly jobName = JobNames.notifyTransition;
  readonly addsOutboxRows = true;
  readonly acknowledges = true;

  constructor(private readonly fanout: NotificationFanoutService) {}

  async handle(data: JobDataMap[typeof JobNames.notifyTransition], job: Job) {
    return this.fanout.fanOut(data.caseId, data.seq, outboxIdOf(job));
  }
}

/** One signed delivery attempt; a failure is retried by BullMQ with exponential backoff until the dead letter. */
@Injectable()
export class WebhookProcessor implements JobHandler<typeof JobNames.deliverWebhook> {
  readonly jobName = JobNames.deliverWebhook;

  constructor(private readonly deliveries: WebhookDeliveryService) {}

  async handle(data: JobDataMap[typeof JobNames.deliverWebhook]) {
    const outcome = await this.deliveries.attempt(data.deliveryId);
    if (outcome === 'retry') throw new Error(`webhook delivery ${data.deliveryId} failed; will retry`);
    return outcome;
  }
}
