import { IndexMigration, type IndexDefinition } from './concurrent-indexes.js';

/**
 * `GET /v1/notifications?unread=true` walked a user's whole inbox, newest first, past every read
 * item, to fill a page of unread ones: a regulator is told of every case that waits for
 * assignment, so at a million cases that is a million items read to find none. Only unread items
 * are in this index, so a page reads what it answers; marking an item read drops it.
 */
const INDEXES: IndexDefinition[] = [['notifications_unread_idx', `notifications (user_id, created_at DESC, id DESC) WHERE read_at IS NULL`]];

export class UnreadInbox1765170000000 extends IndexMigration {
  readonly name = 'UnreadInbox1765170000000';
  protected readonly indexes = INDEXES;
}
