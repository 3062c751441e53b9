import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseHeadsRepository, TransparencyLogRepository } from '@app/persistence';
import { encodeBase64, inclusionProof, inclusionProofNodes } from '@app/tlog';
import { LogTileStore } from '../log/log-tile-store.service.js';
import { notYetLogged } from '../log/registry-log.query.js';
import type { HeadsEntry } from './heads-leaf.util.js';

/** SPEC `GET /v1/cases/:id/history/proof`. */
export interface HistoryProof {
  head: { seq: number; hash: string };
  headsEntry: HeadsEntry & { logIndex: number };
  headsIndex: number;
  headsInclusion: string[];
  logInclusion: string[];
  checkpoint: string;
}

/**
 * A case's head as of the latest `heads` entry, its inclusion in that entry's heads tree and the
 * entry's inclusion in the log under the latest checkpoint. Only the latest heads tree is kept,
 * so proofs are always against the latest entry; everything is read in one snapshot so the tree,
 * the entry and the checkpoint agree while the heads job and the sequencer move on.
 */
@Injectable()
export class HeadsProofQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly heads: CaseHeadsRepository,
    private readonly log: TransparencyLogRepository,
    private readonly tiles: LogTileStore,
  ) {}

  /** The proof for a case the caller may read (access is the caller's business). */
  async proof(caseId: string): Promise<HistoryProof> {
    return this.dataSource.transaction('REPEATABLE READ', async (db) => {
      const state = await this.heads.state(db);
      const leaf = await this.heads.leaf(caseId, db);
      if (!leaf || !state.entry) throw notYetLogged('no heads entry covers the case yet');
      const latest = await this.log.latestCheckpoint(db);
      if (!latest || latest.size <= state.entry.logIndex) throw notYetLogged('no checkpoint covers the latest heads entry yet');
      const stored = await this.heads.nodes(inclusionProofNodes(leaf.position, state.count), db);
      const headsPath = inclusionProof(leaf.position, state.count, (level, index) => {
        const hash = stored.get(`${level}/${index}`);
        if (!hash) throw new Error(`heads tree node ${level}/${index} is missing`);
        return hash;
      });
      const logHashAt = await this.tiles.hashAt(latest.size, inclusionProofNodes(state.entry.logIndex, latest.size), db);
      return {
        head: { seq: leaf.seq, hash: leaf.hash },
        headsEntry: { kind: 'heads', at: state.entry.at, count: state.count, root: state.root.toString('hex'), logIndex: state.entry.logIndex },
        headsIndex: leaf.position,
        headsInclusion: headsPath.map((hash) => hash.toString('hex')),
        logInclusion: inclusionProof(state.entry.logIndex, latest.size, logHashAt).map(encodeBase64),
        checkpoint: latest.note,
      };
    });
  }
}
