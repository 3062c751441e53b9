import { z } from 'zod';
import { CASE_STATES, HISTORY_EVENT_TYPES } from '@app/workflow';
import { named, timestamp } from '../../common/openapi.decorators.js';

/** Response bodies of the inbox and webhook routes. */

export const notificationSchema = named('Notification', z.object({
  id: z.uuid(),
  caseId: z.uuid().nullable().meta({ description: 'null for a notice about the account itself (TOKEN_ISSUED) or the registry log (WITNESS_ALERT)' }),
  seq: z.number().int().nullable().meta({ description: 'the history row that caused it; null with caseId' }),
  eventType: z.union([z.enum(HISTORY_EVENT_TYPES), z.literal('TOKEN_ISSUED'), z.literal('WITNESS_ALERT')]),
  toState: z.enum(CASE_STATES).nullable(),
  reason: z.string(),
  createdAt: timestamp(),
  readAt: timestamp().nullable(),
}));

export const notificationPageSchema = named('NotificationPage', z.object({ items: z.array(notificationSchema), nextCursor: z.string().nullable() }));

export const webhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(HISTORY_EVENT_TYPES)).nullable().meta({ description: 'null: every event' }),
  createdAt: timestamp(),
});

export const webhookListSchema = named('WebhookList', z.object({ items: z.array(webhookSchema), nextCursor: z.null() }));

export const createdWebhookSchema = named('CreatedWebhook', z.object({
  id: z.uuid(),
  url: z.string(),
  secret: z.string().meta({ description: '`whsec_…`, shown once' }),
}));

/** Admin: delivery metadata, never the payload. */
export const webhookDeliveryPageSchema = named('WebhookDeliveryPage', z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      webhookId: z.uuid(),
      caseId: z.uuid(),
      seq: z.number().int(),
      eventType: z.string(),
      status: z.enum(['pending', 'delivered', 'dead']),
      attempts: z.number().int(),
      lastStatus: z.number().int().nullable().meta({ description: 'the last HTTP status the target answered' }),
      lastError: z.string().nullable(),
      createdAt: timestamp(),
      deliveredAt: timestamp().nullable(),
      target: z.string().meta({ description: 'the webhook URL' }),
    }),
  ),
  nextCursor: z.string().nullable(),
}));

export const redeliveredSchema = named('Redelivery', z.object({ id: z.uuid(), status: z.literal('pending') }));
