import { describe, expect, it } from '@jest/globals';
import { appDatabaseRole, ConfigError, parseConfig } from './app-config.js';

describe(parseConfig.name, () => {
  it('applies the documented defaults', () => {
    const sut = parseConfig({});
    expect(sut.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/clearance');
    expect(sut.DATABASE_APP_ROLE).toBe('clearance_app');
    expect(sut.DATABASE_APP_URL).toBe('postgres://clearance_app@127.0.0.1:5432/clearance');
    expect(sut.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(sut.PORT).toBe(3000);
    expect(sut.WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(false);
    expect(sut.EVIDENCE_MAX_CASE_MB).toBe(1024);
    expect(sut.EVIDENCE_MAX_ORGANISATION_MB).toBe(20480);
    expect(sut.CURSOR_KEY).toBeUndefined();
    expect(sut.AUTH_FAILURES_PER_MINUTE).toBe(60);
    expect(sut.METRICS_TOKEN).toBeUndefined();
  });

  it('stops on an ADMIN_TOKEN or METRICS_TOKEN shorter than 16 characters, naming it', () => {
    expect(() => parseConfig({ ADMIN_TOKEN: 'a'.repeat(15) })).toThrow(ConfigError);
    expect(() => parseConfig({ ADMIN_TOKEN: 'a'.repeat(15) })).toThrow(/ADMIN_TOKEN: must be at least 16 characters/);
    expect(() => parseConfig({ ADMIN_TOKEN: 'x' })).toThrow(/ADMIN_TOKEN/);
    expect(parseConfig({ ADMIN_TOKEN: 'a'.repeat(16) }).ADMIN_TOKEN).toBe('a'.repeat(16));
    expect(() => parseConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => parseConfig({ AUTH_FAILURES_PER_MINUTE: '0' })).toThrow(/AUTH_FAILURES_PER_MINUTE/);
  });

  it('reads TRUST_PROXY as hops or proxy addresses, and refuses trusting every address', () => {
    expect(parseConfig({}).TRUST_PROXY).toBeNull();
    expect(parseConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(parseConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.0.2.7' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
    for (const value of ['true', '*', '0.0.0.0/0', '::/0', '0', '11', '10.0.0.0/33', 'proxy.example', '10.0.0.1/8/1', 'loopback,'])
      expect(() => parseConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it('names the variable at fault', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => parseConfig({ CURSOR_KEY: 'short' })).toThrow(/CURSOR_KEY/);
    expect(() => parseConfig({ EVIDENCE_MAX_CASE_MB: '0' })).toThrow(/EVIDENCE_MAX_CASE_MB/);
    expect(() => parseConfig({ EVIDENCE_MAX_ORGANISATION_MB: 'lots' })).toThrow(/EVIDENCE_MAX_ORGANISATION_MB/);
  });

  it('derives the app URL from DATABASE_URL with the app role and, by default, the same password', () => {
    const sut = parseConfig({ DATABASE_URL: 'postgres://owner:s%40cret@db.example:6543/clearance?sslmode=require', DATABASE_APP_ROLE: 'app_rw' });
    expect(sut.DATABASE_APP_URL).toBe('postgres://app_rw:s%40cret@db.example:6543/clearance?sslmode=require');
    expect(appDatabaseRole(sut)).toEqual({ name: 'app_rw', password: 's@cret' });
  });

  it('uses DATABASE_APP_PASSWORD when set, and no password when neither gives one', () => {
    const withPassword = parseConfig({ DATABASE_URL: 'postgres://owner:one@db/clearance', DATABASE_APP_PASSWORD: 'two/:@' });
    expect(appDatabaseRole(withPassword)).toEqual({ name: 'clearance_app', password: 'two/:@' });
    expect(new URL(withPassword.DATABASE_APP_URL).host).toBe('db');
    expect(appDatabaseRole(parseConfig({}))).toEqual({ name: 'clearance_app', password: null });
  });

  it('refuses an app role that is the owner, reserved or not a plain role name', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://clearance_app@db/clearance' })).toThrow(/DATABASE_APP_ROLE/);
    expect(() => parseConfig({ DATABASE_APP_ROLE: 'pg_monitor' })).toThrow(/DATABASE_APP_ROLE/);
    expect(() => parseConfig({ DATABASE_APP_ROLE: 'app"; DROP ROLE x; --' })).toThrow(/DATABASE_APP_ROLE/);
  });

  it('holds 12 Postgres connections per process unless DATABASE_POOL_SIZE says otherwise (4–200)', () => {
    expect(parseConfig({}).DATABASE_POOL_SIZE).toBe(12);
    expect(parseConfig({ DATABASE_POOL_SIZE: '8' }).DATABASE_POOL_SIZE).toBe(8);
    for (const bad of ['3', '201', '8.5', 'many']) expect(() => parseConfig({ DATABASE_POOL_SIZE: bad })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('gives tokens 90 days by default and bounds TOKEN_TTL_DAYS to 1–365', () => {
    expect(parseConfig({}).TOKEN_TTL_DAYS).toBe(90);
    expect(parseConfig({ TOKEN_TTL_DAYS: '30' }).TOKEN_TTL_DAYS).toBe(30);
    for (const bad of ['0', '366', 'soon']) expect(() => parseConfig({ TOKEN_TTL_DAYS: bad })).toThrow(/TOKEN_TTL_DAYS/);
  });
});
