import { IndexMigration, type IndexDefinition } from './concurrent-indexes.js';

/**
 * Every notification fan-out finds the developer organisation's users and the regulators, and
 * users had no index but the id's and the email's: each fan-out read the whole table, which grows
 * with every organisation's members. Users are rarely written, so the two indexes cost the write
 * path nothing. Outside a transaction, so that the builds do not block sign-ups.
 */
const INDEXES: IndexDefinition[] = [
  ['users_organisation_idx', `users (organisation_id)`],
  ['users_role_idx', `users (role)`],
];

export class UserLookupIndexes1765130000000 extends IndexMigration {
  readonly name = 'UserLookupIndexes1765130000000';
  protected readonly indexes = INDEXES;
}
