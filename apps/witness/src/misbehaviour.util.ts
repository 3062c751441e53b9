import { bytesEqual, type AddCheckpointDecision, type Checkpoint, type WitnessedTree } from '@app/tlog';

/** What a witness alerts on (SPEC: "refuses and alerts on a fork or a shrink"). */
export type MisbehaviourKind = 'fork' | 'shrink' | 'inconsistent-proof';

/**
 * Classifies a submission whose checkpoint carries a valid signature of the log, against the tree
 * the witness last cosigned for its origin and the root it cosigned at the submitted size (if it
 * ever did):
 * - two roots for one size are a fork, whatever the request's old size;
 * - a smaller tree offered as the successor of a larger one (old size above the checkpoint's) is
 *   a shrink, unless the witness cosigned exactly that tree before (a stale replay);
 * - a smaller tree offered from a smaller old size is stale (another submission overtook it),
 *   not misbehaviour: a log's checkpoints may reach the witness out of order;
 * - a larger tree whose proof from the cosigned tree fails is an inconsistent proof (a fork, or a
 *   bad proof: the witness cannot tell, the alert keeps both for whoever checks).
 */
export function classifyMisbehaviour(
  checkpoint: Pick<Checkpoint, 'size' | 'rootHash'>,
  oldSize: number,
  cosigned: WitnessedTree,
  cosignedRootAtSize: Uint8Array | null,
  decision: AddCheckpointDecision,
): MisbehaviourKind | null {
  // Nothing cosigned yet (or only the empty tree, whose root is fixed): nothing to contradict.
  if (cosigned.size === 0) return null;
  if (checkpoint.size === cosigned.size) return bytesEqual(checkpoint.rootHash, cosigned.rootHash) ? null : 'fork';
  if (checkpoint.size < cosigned.size) {
    if (cosignedRootAtSize !== null) return bytesEqual(checkpoint.rootHash, cosignedRootAtSize) ? null : 'fork';
    return oldSize > checkpoint.size ? 'shrink' : null;
  }
  return decision.status === 422 ? 'inconsistent-proof' : null;
}
