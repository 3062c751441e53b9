import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { KEYSETS, Paginator, pageSchema } from '@app/http';
import { WebhookRepository, iso } from '@app/persistence';

export const deliveriesQuerySchema = z.strictObject({ ...pageSchema, status: z.enum(['pending', 'delivered', 'dead']).optional() });

/** Delivery metadata (target, event type, attempts, last status), never the payload. */
@Injectable()
export class WebhookDeliveriesQuery {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly paginator: Paginator,
  ) {}

  async execute(q: z.infer<typeof deliveriesQuerySchema>) {
    return this.paginator.paginate(q, {
      fingerprint: `deliveries:${q.status ?? ''}`,
      keyset: KEYSETS.timeAndId,
      fetch: (after, limit) => this.webhooks.listDeliveries(q.status, after, limit),
      keyOf: (row) => [row.sortKey as string, row.id as string],
      view: ({ sortKey: _sortKey, createdAt, deliveredAt, ...meta }: Record<string, unknown>) => ({
        ...meta,
        createdAt: iso(createdAt as Date),
        deliveredAt: iso(deliveredAt as Date | null),
      }),
    });
  }
}
