import { describe, expect, it } from '@jest/globals';
import { lineageEdges, placeLineage, type LineageNodeSource } from './lineage-graph.util.js';

const node = (id: string, bases: Array<[string, 'finetune' | 'merge' | undefined]> = []): LineageNodeSource => ({
  modelVersionId: id,
  name: id,
  version: '1',
  baseModels: bases.map(([modelVersionId, relation]) => ({ modelVersionId, ...(relation ? { relation } : {}) })),
});

describe(placeLineage.name, () => {
  it('places ancestors and descendants by their shortest distance, with the relation of the link reaching them', () => {
    const nodes = [node('g'), node('p', [['g', 'finetune']]), node('c', [['p', 'merge'], ['g', undefined]]), node('x', [['c', undefined]])];
    const sut = placeLineage('p', nodes);
    expect(sut.ancestors.map((a) => [a.node.modelVersionId, a.depth, a.relation])).toEqual([['g', -1, 'finetune']]);
    expect(sut.descendants.map((d) => [d.node.modelVersionId, d.depth, d.relation])).toEqual([['c', 1, 'merge'], ['x', 2, null]]);
  });

  it('ends on a cycle, counting a node that is both as a descendant', () => {
    const nodes = [node('a', [['b', undefined]]), node('b', [['a', undefined]])];
    const sut = placeLineage('a', nodes);
    expect(sut.descendants.map((d) => d.node.modelVersionId)).toEqual(['b']);
    expect(sut.ancestors).toEqual([]);
    expect(lineageEdges(nodes)).toHaveLength(2);
  });
});
