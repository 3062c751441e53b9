import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransparencyLogRepository, type Db, type StoredTile } from '@app/persistence';
import {
  HASH_SIZE,
  TILE_WIDTH,
  encodeEntryBundle,
  hashAtFromTiles,
  tileForNode,
  tileWidth,
  type HashAt,
  type NodeId,
  type TileCoord,
} from '@app/tlog';

const key = (level: number, index: number): string => `${level}/${index}`;

/**
 * Reads the tiles and entry bundles the log serves. A stored tile may be wider than a tree size
 * asks for (the log grew since): its first hashes are that narrower tile, byte for byte.
 */
@Injectable()
export class LogTileStore {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly log: TransparencyLogRepository,
  ) {}

  /** The hash tile `coord` as of a tree of `size` leaves, or null when that tree has no such tile. */
  async tile(coord: TileCoord, size: number, db: Db = this.dataSource): Promise<Buffer | null> {
    if (tileWidth(size, coord.level, coord.index) < coord.width) return null;
    const stored = (await this.log.tiles([coord], db)).get(key(coord.level, coord.index));
    if (!stored || stored.width < coord.width) return null;
    return stored.data.subarray(0, coord.width * HASH_SIZE);
  }

  /** The entry bundle `index` of width `width` as of a tree of `size` leaves, or null. */
  async bundle(index: number, width: number, size: number, db: Db = this.dataSource): Promise<Buffer | null> {
    if (tileWidth(size, 0, index) < width) return null;
    if (width === TILE_WIDTH) {
      const full = await this.log.bundle(index, db);
      if (full) return full;
    }
    const entries = await this.log.entries(index * TILE_WIDTH, index * TILE_WIDTH + width, db);
    return entries.length === width ? encodeEntryBundle(entries) : null;
  }

  /** A HashAt answering the given nodes of a tree of `size` leaves from stored tiles (and `extra`, tiles not yet stored). */
  async hashAt(size: number, nodes: readonly NodeId[], db: Db = this.dataSource, extra?: ReadonlyMap<string, StoredTile>): Promise<HashAt> {
    const needed = new Map<string, TileCoord>();
    for (const node of nodes) {
      const { tile } = tileForNode(size, node.level, node.index);
      const k = key(tile.level, tile.index);
      if (!extra?.has(k)) needed.set(k, tile);
    }
    const stored = await this.log.tiles([...needed.values()], db);
    return hashAtFromTiles(size, (tile) => {
      const found = extra?.get(key(tile.level, tile.index)) ?? stored.get(key(tile.level, tile.index));
      if (!found || found.width < tile.width) throw new Error(`registry log tile ${key(tile.level, tile.index)} is missing or too narrow`);
      return found.data.subarray(0, tile.width * HASH_SIZE);
    });
  }
}
