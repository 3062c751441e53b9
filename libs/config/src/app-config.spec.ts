import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from './app-config.js';

describe(parseConfig.name, () => {
  it('applies the documented defaults', () => {
    const sut = parseConfig({});
    expect(sut.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/clearance');
    expect(sut.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(sut.PORT).toBe(3000);
    expect(sut.WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(false);
    expect(sut.EVIDENCE_MAX_CASE_MB).toBe(1024);
    expect(sut.CURSOR_KEY).toBeUndefined();
  });

  it('names the variable at fault', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => parseConfig({ CURSOR_KEY: 'short' })).toThrow(/CURSOR_KEY/);
    expect(() => parseConfig({ EVIDENCE_MAX_CASE_MB: '0' })).toThrow(/EVIDENCE_MAX_CASE_MB/);
  });
});
