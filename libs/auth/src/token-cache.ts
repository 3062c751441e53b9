import type { TokenHolderRow, UserRow } from '@app/persistence';

export interface TokenCacheOptions {
  /** Entries kept at most; the least recently used goes first. */
  maxEntries: number;
  /** A safety bound: an entry is looked up again after this long even if no notification came. */
  ttlMs: number;
  /** An entry is not used this close to its token's expiry, so Postgres's clock decides it (and says "expired"). */
  expiryMarginMs: number;
  now?: () => number;
}

export const TOKEN_CACHE_DEFAULTS: TokenCacheOptions = { maxEntries: 10_000, ttlMs: 60_000, expiryMarginMs: 5_000 };

interface Entry {
  user: UserRow;
  expiresAt: number;
  lastUsedAt: number | null;
  cachedAt: number;
}

/**
 * Token hash → holder, for the api process. Used only while the process listens for token
 * invalidations (`activate`): before that, and from the moment the listening connection is lost
 * (`deactivate`), `get` answers nothing and every request looks its token up. Any invalidation
 * clears everything: they are rare (a revocation, a change of a user). A lookup that started
 * before an invalidation (its `generation` is older) is not stored, since it may have read the
 * row before the change committed.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private active = false;
  private currentGeneration = 0;
  private readonly now: () => number;

  constructor(private readonly options: TokenCacheOptions = TOKEN_CACHE_DEFAULTS) {
    this.now = options.now ?? Date.now;
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Taken before a lookup and handed to `set`. */
  get generation(): number {
    return this.currentGeneration;
  }

  /** The holder of a cached live token (a copy: callers may not share it), else undefined. */
  get(tokenHash: string): UserRow | undefined {
    const entry = this.live(tokenHash);
    return entry && { ...entry.user };
  }

  set(tokenHash: string, holder: TokenHolderRow, generation: number): void {
    if (!this.active || generation !== this.currentGeneration) return;
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, {
      user: { ...holder.user },
      expiresAt: holder.expiresAt.getTime(),
      lastUsedAt: holder.lastUsedAt?.getTime() ?? null,
      cachedAt: this.now(),
    });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * Whether a use now would record nothing: the cached `lastUsedAt` (a lower bound of the stored
   * one) is within the minute, less the expiry margin for clock skew. Unknown: true.
   */
  needsTouch(tokenHash: string, minuteMs = 60_000): boolean {
    const lastUsedAt = this.live(tokenHash)?.lastUsedAt;
    return lastUsedAt == null || lastUsedAt <= this.now() - minuteMs + this.options.expiryMarginMs;
  }

  recordTouch(tokenHash: string, lastUsedAt: Date | null): void {
    const entry = this.entries.get(tokenHash);
    if (entry && lastUsedAt) entry.lastUsedAt = Math.max(entry.lastUsedAt ?? 0, lastUsedAt.getTime());
  }

  /** A token or user changed somewhere: forget everything. */
  invalidate(): void {
    this.entries.clear();
    this.currentGeneration++;
  }

  /** Listening (again): start from nothing, since changes made meanwhile were not announced. */
  activate(): void {
    this.invalidate();
    this.active = true;
  }

  /** Not listening: no notification would reach us, so the cache must not answer. */
  deactivate(): void {
    this.active = false;
    this.invalidate();
  }

  get size(): number {
    return this.entries.size;
  }

  private live(tokenHash: string): Entry | undefined {
    if (!this.active) return undefined;
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    const now = this.now();
    if (now - entry.cachedAt >= this.options.ttlMs || now >= entry.expiresAt - this.options.expiryMarginMs) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    // Most recently used last: the first key is the one to evict.
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, entry);
    return entry;
  }
}
