import { HASH_SIZE, bytesEqual, sha256 } from './bytes';

/** RFC 6962 §2.1: a leaf is SHA-256(0x00 ‖ entry). */
export const leafHash = (entry: Uint8Array): Promise<Uint8Array<ArrayBuffer>> => sha256(Uint8Array.of(0), entry);

/** RFC 6962 §2.1: an interior node is SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Promise<Uint8Array<ArrayBuffer>> => sha256(Uint8Array.of(1), left, right);

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or null when the proof cannot belong
 * to a leaf at `index` of a tree of `size` (wrong length, index out of range, malformed hash).
 */
export async function rootFromInclusionProof(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Promise<Uint8Array | null> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (leaf.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return null;
  // Arithmetic rather than bit operators: tree sizes may pass 2^31.
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** True when `proof` shows the leaf hash at `index` in the tree of `size` whose root is `root`. */
export async function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): Promise<boolean> {
  const computed = await rootFromInclusionProof(index, size, leaf, proof);
  return computed !== null && bytesEqual(computed, root);
}
