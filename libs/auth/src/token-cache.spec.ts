import { describe, expect, it } from '@jest/globals';
import type { TokenHolderRow } from '@app/persistence';
import { TokenCache } from './token-cache.js';

const holder = (overrides: Partial<TokenHolderRow> = {}): TokenHolderRow => ({
  user: { id: 'u1', email: 'a@example.org', displayName: 'A', organisationId: 'o1', role: 'auditor' },
  expiresAt: new Date(1_000_000),
  lastUsedAt: null,
  ...overrides,
});

const make = (maxEntries = 3) => {
  const clock = { now: 100_000 };
  const sut = new TokenCache({ maxEntries, ttlMs: 60_000, expiryMarginMs: 5_000, now: () => clock.now });
  return { sut, clock };
};

describe(TokenCache.name, () => {
  it('answers nothing before it is activated (not listening yet), and stores nothing', () => {
    const { sut } = make();
    sut.set('h', holder(), sut.generation);
    expect(sut.get('h')).toBeUndefined();
    sut.activate();
    expect(sut.get('h')).toBeUndefined();
  });

  it('serves a stored holder while active, as a copy', () => {
    const { sut } = make();
    sut.activate();
    sut.set('h', holder(), sut.generation);
    const first = sut.get('h')!;
    first.role = 'admin';
    expect(sut.get('h')).toEqual(holder().user);
  });

  it('forgets everything on an invalidation and on losing the listener, and answers nothing until active again', () => {
    const { sut } = make();
    sut.activate();
    sut.set('h', holder(), sut.generation);
    sut.invalidate();
    expect(sut.get('h')).toBeUndefined();
    sut.set('h', holder(), sut.generation);
    sut.deactivate();
    expect(sut.get('h')).toBeUndefined();
    sut.set('h', holder(), sut.generation);
    expect(sut.size).toBe(0);
  });

  it('does not store a lookup that started before an invalidation or a reconnection', () => {
    const { sut } = make();
    sut.activate();
    const before = sut.generation;
    sut.invalidate();
    sut.set('h', holder(), before);
    expect(sut.get('h')).toBeUndefined();
    const beforeReconnect = sut.generation;
    sut.deactivate();
    sut.activate();
    sut.set('h', holder(), beforeReconnect);
    expect(sut.get('h')).toBeUndefined();
  });

  it('looks a token up again after the TTL, and near its expiry so that Postgres says "expired"', () => {
    const { sut, clock } = make();
    sut.activate();
    sut.set('h', holder(), sut.generation);
    clock.now += 59_999;
    expect(sut.get('h')).toBeDefined();
    clock.now += 1;
    expect(sut.get('h')).toBeUndefined();
    sut.set('soon', holder({ expiresAt: new Date(clock.now + 5_001) }), sut.generation);
    expect(sut.get('soon')).toBeDefined();
    clock.now += 1;
    expect(sut.get('soon')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const { sut } = make(2);
    sut.activate();
    sut.set('a', holder(), sut.generation);
    sut.set('b', holder(), sut.generation);
    sut.get('a');
    sut.set('c', holder(), sut.generation);
    expect([sut.get('a'), sut.get('b'), sut.get('c')].map(Boolean)).toEqual([true, false, true]);
  });

  it('skips a touch only while a use within the minute (less the margin) is known', () => {
    const { sut, clock } = make();
    expect(sut.needsTouch('h')).toBe(true);
    sut.activate();
    sut.set('h', holder({ lastUsedAt: new Date(clock.now - 54_000) }), sut.generation);
    expect(sut.needsTouch('h')).toBe(false);
    clock.now += 1_000;
    expect(sut.needsTouch('h')).toBe(true);
    sut.recordTouch('h', new Date(clock.now));
    expect(sut.needsTouch('h')).toBe(false);
    sut.deactivate();
    expect(sut.needsTouch('h')).toBe(true);
  });
});
