import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUTH_CHANNEL } from '@app/persistence';

/**
 * Every statement that may end a token's validity or change what its holder may do notifies
 * AUTH_CHANNEL, so each api process drops its cached tokens (libs/auth TokenCache) at once,
 * whichever path made the change: a route, the bootstrap rotation or an operator's SQL.
 * On api_tokens: revocation, expiry, a new holder or hash, deletion (not `last_used_at`, which
 * every busy token's use writes once a minute). On users: any change or deletion (role,
 * organisation, e-mail; and a deactivation column, should one be added). One notification per
 * statement; NOTIFY is delivered at commit and never for a rollback.
 */
export class TokenCacheNotify1764930000000 implements MigrationInterface {
  name = 'TokenCacheNotify1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION auth_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${AUTH_CHANNEL}', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER api_tokens_auth_notify
        AFTER UPDATE OF user_id, token_hash, expires_at, revoked_at OR DELETE OR TRUNCATE ON api_tokens
        FOR EACH STATEMENT EXECUTE FUNCTION auth_notify()`);
    await q.query(`CREATE TRIGGER users_auth_notify AFTER UPDATE OR DELETE OR TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION auth_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS users_auth_notify ON users`);
    await q.query(`DROP TRIGGER IF EXISTS api_tokens_auth_notify ON api_tokens`);
    await q.query(`DROP FUNCTION IF EXISTS auth_notify()`);
  }
}
