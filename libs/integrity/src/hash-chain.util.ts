import { canonicalJson, sha256Hex } from './canonical-json.util.js';

/** `prevHash` of the first event of every case: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** Who fired an event: a user snapshot, or the system (timers, intake screening). */
export type EventActor = { id: string; role: string; organisationId: string | null } | 'system';

/** One hash-chained history row, as stored and as served by `GET /v1/cases/:id/history`. */
export type HistoryItem = {
  seq: number;
  type: string;
  actor: EventActor;
  fromState: string;
  toState: string;
  at: string;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
};

/**
 * Any hash-chained row: a case's history item, or an operator-log row (`fromState` and
 * `toState` null), hashed the same way with its chain's id in place of the case id.
 */
export type ChainItem = Omit<HistoryItem, 'fromState' | 'toState'> & { fromState: string | null; toState: string | null };

/** The `caseId` the operator log is hashed with (SPEC.md, Operators). */
export const OPERATOR_LOG_CHAIN_ID = 'operator-log';

/** The chain head kept on the case row. */
export type ChainHead = { headHash: string; lastSeq: number };

/** Result of `GET /v1/cases/:id/history/verify`; `firstBadSeq` is null when valid. */
export type ChainVerification = {
  valid: boolean;
  length: number;
  headHash: string;
  firstBadSeq: number | null;
};

/**
 * Hash of one history row: lowercase hex SHA-256 of the JCS form of
 * `{caseId, seq, type, actor, fromState, toState, at, payload, prevHash}`.
 */
export function eventHash(caseId: string, item: Omit<ChainItem, 'hash'>): string {
  // Pick the fields explicitly so extra properties on a row object never leak into the hash.
  const { seq, type, actor, fromState, toState, at, payload, prevHash } = item;
  return sha256Hex(canonicalJson({ caseId, seq, type, actor, fromState, toState, at, payload, prevHash }));
}

/**
 * Recomputes a chain fed in pages ascending by `seq` and checks it ends at the stored head, holding
 * one row at a time, so a chain of any length is verified in bounded memory. `firstBadSeq` names the
 * first row that is wrong or missing, or the first row past the head; rows after it are counted
 * (`length`) but not hashed, and the last row's hash is `headHash`.
 */
export class ChainVerifier {
  private length = 0;
  private prevHash = GENESIS_HASH;
  private firstBadSeq: number | null = null;
  private last: ChainItem | undefined;

  constructor(
    private readonly chainId: string,
    private readonly head: ChainHead,
  ) {}

  /** The next rows, ascending by seq after the last ones added. */
  add(items: readonly ChainItem[]): void {
    for (const item of items) {
      const expectedSeq = ++this.length;
      this.last = item;
      if (this.firstBadSeq !== null) continue;
      // A gap or duplicate names the seq that should have been here.
      const linked = item.seq === expectedSeq && expectedSeq <= this.head.lastSeq && item.prevHash === this.prevHash;
      const recomputed = linked ? eventHash(this.chainId, item) : null;
      if (recomputed === null || item.hash !== recomputed) this.firstBadSeq = expectedSeq;
      else this.prevHash = recomputed;
    }
  }

  result(): ChainVerification {
    let firstBadSeq = this.firstBadSeq;
    if (firstBadSeq === null && this.length < this.head.lastSeq) firstBadSeq = this.length + 1;
    // Same length but a different head: the last row is the one the head disowns
    // (for an empty chain, seq 1 is what the head claims and is missing).
    else if (firstBadSeq === null && this.prevHash !== this.head.headHash) firstBadSeq = Math.max(this.length, 1);
    return {
      valid: firstBadSeq === null,
      length: this.length,
      headHash: this.last === undefined ? GENESIS_HASH : eventHash(this.chainId, this.last),
      firstBadSeq,
    };
  }
}

/** Verifies a whole chain held in memory (rows ascending by `seq`): ChainVerifier in one page. */
export function verifyChain(caseId: string, items: readonly ChainItem[], head: ChainHead): ChainVerification {
  const verifier = new ChainVerifier(caseId, head);
  verifier.add(items);
  return verifier.result();
}
