import { describe, expect, it } from '@jest/globals';
import { fromHex, toHex } from './bytes';
import { leafHash, nodeHash, rootFromInclusionProof, verifyInclusion } from './merkle-proof';
import { CT_INCLUSION_PROOFS, CT_LEAVES, CT_ROOTS, SHA256_EMPTY, SHA256_SOME } from './testing/ct-vectors.fixture';

const hex = (h: string): Uint8Array<ArrayBuffer> => fromHex(h)!;

/** MTH (RFC 6962 §2.1) the slow, obvious way: only to check the vectors' roots are what this module hashes. */
const merkleRoot = async (leaves: Uint8Array[]): Promise<Uint8Array> => {
  if (leaves.length === 1) return leafHash(leaves[0]);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(await merkleRoot(leaves.slice(0, k)), await merkleRoot(leaves.slice(k)));
};

describe('RFC 6962 hashing against the Certificate Transparency vectors', () => {
  it('computes every published root from the leaves', async () => {
    for (let n = 1; n <= CT_LEAVES.length; n++) {
      expect(toHex(await merkleRoot(CT_LEAVES.slice(0, n).map(hex)))).toBe(CT_ROOTS[n - 1]);
    }
  });

  it('hashes the empty leaf as SHA-256(0x00)', async () => {
    expect(toHex(await leafHash(new Uint8Array()))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  });
});

describe(verifyInclusion.name, () => {
  it.each(CT_INCLUSION_PROOFS.map((v) => ({ ...v, name: `leaf ${v.leaf} of ${v.size}` })))('accepts the published proof of $name', async (v) => {
    const leaf = await leafHash(hex(CT_LEAVES[v.leaf - 1]));
    expect(await verifyInclusion(v.leaf - 1, v.size, leaf, v.proof.map(hex), hex(CT_ROOTS[v.size - 1]))).toBe(true);
  });

  it('refuses every tampering of a published proof', async () => {
    const v = CT_INCLUSION_PROOFS[2]; // leaf 6 of 8
    const leaf = await leafHash(hex(CT_LEAVES[v.leaf - 1]));
    const proof = v.proof.map(hex);
    const root = hex(CT_ROOTS[v.size - 1]);
    const refuses = async (index: number, size: number, l: Uint8Array, p: Uint8Array[], r: Uint8Array) => expect(await verifyInclusion(index, size, l, p, r)).toBe(false);
    await refuses(v.leaf - 1, v.size, leaf, proof, hex(SHA256_SOME)); // wrong root
    await refuses(v.leaf - 1, v.size, await leafHash(hex('ff')), proof, root); // wrong leaf
    await refuses(v.leaf, v.size, leaf, proof, root); // wrong index
    await refuses(v.leaf - 1, v.size + 1, leaf, proof, root); // wrong size
    await refuses(v.leaf - 1, v.size, leaf, proof.slice(1), root); // a hash short
    await refuses(v.leaf - 1, v.size, leaf, [...proof, hex(SHA256_EMPTY)], root); // a hash too many
    await refuses(v.leaf - 1, v.size, leaf, [proof[1], proof[0], proof[2]], root); // reordered
    for (let i = 0; i < proof.length; i++) {
      const flipped = proof.map((p) => p.slice());
      flipped[i][0] ^= 1;
      await refuses(v.leaf - 1, v.size, leaf, flipped, root); // one bit of one hash
    }
    expect(await rootFromInclusionProof(8, 8, leaf, proof)).toBeNull();
    expect(await rootFromInclusionProof(0, 0, leaf, [])).toBeNull();
  });
});
