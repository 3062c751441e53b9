/**
 * Full tiles and entry bundles in memory, least recently used dropped first once the bytes
 * exceed the budget. A full tile never changes once a checkpoint covers it (the log only
 * grows, C2SP tlog-tiles), so a hit needs no database round trip and no check of the latest
 * checkpoint; partial tiles change as the log grows and are never kept here.
 */
export class FullTileCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(path: string): Buffer | undefined {
    const hit = this.entries.get(path);
    if (hit === undefined) return undefined;
    // Re-insert: Map keeps insertion order, so the first key is the least recently used.
    this.entries.delete(path);
    this.entries.set(path, hit);
    return hit;
  }

  set(path: string, data: Buffer): void {
    if (data.length > this.maxBytes || this.entries.has(path)) return;
    this.entries.set(path, data);
    this.bytes += data.length;
    for (const [oldest, evicted] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= evicted.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
