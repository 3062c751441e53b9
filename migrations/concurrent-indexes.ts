import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An index by name and the `ON …` part of its definition. */
export type IndexDefinition = [name: string, definition: string];

/**
 * Builds each index CONCURRENTLY, for a migration that runs outside a transaction: on a large
 * table a build takes seconds to minutes and must not block writes meanwhile. A build that failed
 * half way leaves an invalid index of the same name, which is dropped and built again.
 */
export const createIndexesConcurrently = async (q: QueryRunner, indexes: readonly IndexDefinition[]): Promise<void> => {
  for (const [name, definition] of indexes) {
    const [invalid] = await q.query(
      `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND NOT i.indisvalid`,
      [name],
    );
    if (invalid) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${definition}`);
  }
};

export const dropIndexesConcurrently = async (q: QueryRunner, indexes: readonly IndexDefinition[]): Promise<void> => {
  for (const [name] of indexes) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
};

/** A migration that only builds indexes, CONCURRENTLY and so outside a transaction; its down drops them. */
export abstract class IndexMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly indexes: readonly IndexDefinition[];
  readonly transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, this.indexes);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexesConcurrently(q, this.indexes);
  }
}
