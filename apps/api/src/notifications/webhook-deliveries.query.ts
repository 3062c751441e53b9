import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { pageSchema, paginate } from '@app/http';
import { WebhookRepository, iso } from '@app/persistence';

export const deliveriesQuerySchema = z.strictObject({ ...pageSchema, status: z.enum(['pending', 'delivered', 'dead']).optional() });

/** Delivery metadata (target, event type, attempts, last status), never the payload. */
@Injectable()
export class WebhookDeliveriesQuery {
  constructor(private readonly webhooks: WebhookRepository) {}

  async execute(q: z.infer<typeof deliveriesQuerySchema>) {
    return paginate(q, {
      fingerprint: `deliveries:${q.status ?? ''}`,
      fetch: (after, limit) => this.webhooks.listDeliveries(q.status, after as [string, string] | null, limit),
      keyOf: (row) => [row.sortKey as string, row.id as string],
      view: ({ sortKey: _sortKey, createdAt, deliveredAt, ...meta }: Record<string, unknown>) => ({
        ...meta,
        createdAt: iso(createdAt as Date),
        deliveredAt: iso(deliveredAt as Date | null),
      }),
    });
  }
}
