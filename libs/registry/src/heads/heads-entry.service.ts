import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CaseHeadsRepository, type CaseHeadLeaf } from '@app/persistence';
import { applyLeafUpdates, leafHash, leafUpdateReads } from '@app/tlog';
import { LogSequencer, logEntryBytes } from '../log/log-sequencer.service.js';
import { headsLeafBytes, type HeadsEntry } from './heads-leaf.util.js';

/**
 * Logs a `heads` entry when some case's history grew, at most every REGISTRY_HEADS_MS. The heads
 * tree is kept in Postgres (every complete perfect subtree), so the changed heads rewrite one
 * path each; the tree, the entry and the new state commit together, the log's row lock being
 * taken only for the one-entry append at the end, so a record's checkpoint never waits on it.
 */
@Injectable()
export class HeadsEntryService {
  private readonly logger = new Logger(HeadsEntryService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly heads: CaseHeadsRepository,
    private readonly sequencer: LogSequencer,
  ) {}

  /** Appends the entry when due; a run that finds it not due, or no head changed, changes nothing. */
  async appendIfDue(): Promise<(HeadsEntry & { logIndex: number; changed: number }) | null> {
    const appended = await this.dataSource.transaction(async (db) => {
      const state = await this.heads.lockState(db);
      if (state.msSinceEntry !== null && state.msSinceEntry < this.config.REGISTRY_HEADS_MS) return null;
      const changes = await this.heads.takeChanges(db);
      if (changes.length === 0) return null;
      let count = state.count;
      // A case keeps its position; new cases come after, in creation order (takeChanges' order).
      const leaves: CaseHeadLeaf[] = changes.map((c) => ({ caseId: c.caseId, position: c.position ?? count++, seq: c.seq, hash: c.hash }));
      const leafHashes = new Map(leaves.map((l) => [l.position, leafHash(headsLeafBytes(l.caseId, l.seq, l.hash))]));
      const stored = await this.heads.nodes(leafUpdateReads(count, leafHashes.keys()), db);
      const { nodes, root } = applyLeafUpdates(count, leafHashes, (level, index) => {
        const hash = stored.get(`${level}/${index}`);
        if (!hash) throw new Error(`heads tree node ${level}/${index} is missing`);
        return hash;
      });
      await this.heads.upsertLeaves(leaves, db);
      await this.heads.upsertNodes(nodes, db);
      const entry: HeadsEntry = { kind: 'heads', at: state.now, count, root: root.toString('hex') };
      const { firstIndex } = await this.sequencer.append(db, [{ kind: entry.kind, bytes: logEntryBytes(entry) }]);
      await this.heads.updateState({ count, root, at: entry.at, logIndex: firstIndex }, db);
      return { ...entry, logIndex: firstIndex, changed: changes.length };
    });
    if (appended) this.logger.debug({ count: appended.count, changed: appended.changed, logIndex: appended.logIndex }, 'heads entry logged');
    return appended;
  }
}
