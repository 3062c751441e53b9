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
 * Recomputes a case's chain (rows ascending by `seq`) and checks it ends at the stored head.
 * `firstBadSeq` names the first row that is wrong or missing, or the first row past the head.
 */
export function verifyChain(caseId: string, items: ChainItem[], head: ChainHead): ChainVerification {
  const length = items.length;
  const last = items[length - 1];
  const headHash = last === undefined ? GENESIS_HASH : eventHash(caseId, last);
  const result = (firstBadSeq: number | null): ChainVerification => ({
    valid: firstBadSeq === null,
    length,
    headHash,
    firstBadSeq,
  });

  let prevHash = GENESIS_HASH;
  for (let i = 0; i < length; i++) {
    const item = items[i]!;
    const expectedSeq = i + 1;
    // A gap or duplicate names the seq that should have been here.
    if (item.seq !== expectedSeq) return result(expectedSeq);
    if (expectedSeq > head.lastSeq) return result(expectedSeq);
    if (item.prevHash !== prevHash) return result(expectedSeq);
    const recomputed = eventHash(caseId, item);
    if (item.hash !== recomputed) return result(expectedSeq);
    prevHash = recomputed;
  }

  if (length < head.lastSeq) return result(length + 1);
  // Same length but a different head: the last row is the one the head disowns
  // (for an empty chain, seq 1 is what the head claims and is missing).
  if (prevHash !== head.headHash) return result(Math.max(length, 1));
  return result(null);
}
