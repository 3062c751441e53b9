import { describe, expect, it } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { leafHash, merkleRoot, type AddCheckpointDecision } from '@app/tlog';
import { classifyMisbehaviour } from './misbehaviour.util.js';

const leaves = Array.from({ length: 8 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const other = Array.from({ length: 8 }, (_, i) => leafHash(Buffer.from(`other ${i}`)));
const rootAt = (size: number, from = leaves) => merkleRoot(from.slice(0, size));
const tree = (size: number, from = leaves) => ({ size, rootHash: rootAt(size, from) });
const refused = (status: 400 | 409 | 422): AddCheckpointDecision =>
  status === 409 ? { status, reason: 'x', latestSize: 5 } : { status, reason: 'x' };
const NONE = { size: 0, rootHash: new Uint8Array(0) };

describe(classifyMisbehaviour.name, () => {
  it('sees nothing before the first cosignature, whatever the answer', () => {
    expect(classifyMisbehaviour(tree(3), 0, NONE, null, refused(422))).toBeNull();
  });

  it('calls two roots for the cosigned size a fork whatever the old size, and the same root nothing', () => {
    expect(classifyMisbehaviour(tree(5, other), 5, tree(5), null, refused(409))).toBe('fork');
    expect(classifyMisbehaviour(tree(5, other), 2, tree(5), null, refused(409))).toBe('fork');
    expect(classifyMisbehaviour(tree(5), 5, tree(5), null, refused(409))).toBeNull();
  });

  it('calls a smaller tree offered as the successor of a larger one a shrink, and one overtaken by a newer submission nothing', () => {
    expect(classifyMisbehaviour(tree(3), 5, tree(5), null, refused(400))).toBe('shrink');
    expect(classifyMisbehaviour(tree(3), 2, tree(5), null, refused(409))).toBeNull();
  });

  it('calls a smaller tree that contradicts one it cosigned a fork, and a replay of one it cosigned nothing', () => {
    expect(classifyMisbehaviour(tree(3, other), 0, tree(5), rootAt(3), refused(409))).toBe('fork');
    expect(classifyMisbehaviour(tree(3), 5, tree(5), rootAt(3), refused(400))).toBeNull();
  });

  it('calls a larger tree whose proof fails an inconsistent proof, and a stale old size nothing', () => {
    expect(classifyMisbehaviour(tree(8, other), 5, tree(5), null, refused(422))).toBe('inconsistent-proof');
    expect(classifyMisbehaviour(tree(8), 4, tree(5), null, refused(409))).toBeNull();
  });
});
