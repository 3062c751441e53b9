import pg from 'pg';

/**
 * The pool's connection class: a pg.Client that always has an 'error' listener. pg emits 'error'
 * on a client with no query running when the server ends its session (a restart's 57P01). A client
 * checked out of the pool has no listener of the pool's, and TypeORM adds its own a microtask after
 * the checkout (none at all while it sets the pool up), so an error read in the same chunk as the
 * reply before it was thrown, and ended the process (found by the soak). The connection is dead
 * either way: its next query fails and the pool drops it when it is released.
 */
export class PoolClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}
