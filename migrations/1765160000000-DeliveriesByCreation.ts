import { IndexMigration, type IndexDefinition } from './concurrent-indexes.js';

/**
 * The admin's list of webhook deliveries without a status filter (`GET /v1/admin/webhook-deliveries`)
 * sorted every delivery for each page: 495 ms at 1,000,000 deliveries, 0.3 ms by the index, first
 * page and cursor pages alike. One entry per delivery, written when an event is fanned out to a
 * webhook.
 */
const INDEXES: IndexDefinition[] = [['webhook_deliveries_created_idx', `webhook_deliveries (created_at DESC, id DESC)`]];

export class DeliveriesByCreation1765160000000 extends IndexMigration {
  readonly name = 'DeliveriesByCreation1765160000000';
  protected readonly indexes = INDEXES;
}
