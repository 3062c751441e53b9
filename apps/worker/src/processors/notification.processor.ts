import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { NotificationFanoutService, WebhookDeliveryService } from '@app/notifications';
import { JobNames, JobQueues, webhookJobOptions, type JobDataMap } from '@app/queue';
import type { JobHandler } from './job-handler.js';

/** Fans a step out to inboxes and webhook deliveries, then queues the deliveries. */
@Injectable()
export class NotificationProcessor implements JobHandler<typeof JobNames.notifyTransition> {
  readonly jobName = JobNames.notifyTransition;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly fanout: NotificationFanoutService,
    private readonly queues: JobQueues,
  ) {}

  async handle(data: JobDataMap[typeof JobNames.notifyTransition]) {
    const { notified, deliveries } = await this.fanout.fanOut(data.caseId, data.seq);
    // jobId = delivery id: a fan-out that runs again queues nothing new.
    for (const deliveryId of deliveries)
      await this.queues.add(JobNames.deliverWebhook, { deliveryId }, { jobId: deliveryId, ...webhookJobOptions(this.config) });
    return { notified, deliveries: deliveries.length };
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
