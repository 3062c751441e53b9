import type { BaseModelRelation } from '@app/policy';

/** A model version of a lineage as read from Postgres: its own base models, its latest case and its newest registry record. */
export interface LineageNodeSource {
  modelVersionId: string;
  name: string;
  version: string;
  baseModels: ReadonlyArray<({ modelVersionId: string } | { external: { name: string; origin: string; sha256?: string } }) & { relation?: BaseModelRelation }>;
}

export interface LineageEdge {
  /** The base model version. */
  from: string;
  /** The model version derived from it. */
  to: string;
  relation: BaseModelRelation | null;
}

export interface Placed<N> {
  node: N;
  /** Links between the node and the root: negative for ancestors, positive for descendants, 0 for the root. */
  depth: number;
  /** The relation of the link that reaches the node on a shortest path from the root. */
  relation: BaseModelRelation | null;
}

/** Every link between two model versions of the set (links to model versions outside it, and external bases, are left out). */
export const lineageEdges = (nodes: readonly LineageNodeSource[]): LineageEdge[] => {
  const ids = new Set(nodes.map((n) => n.modelVersionId));
  return nodes.flatMap((n) =>
    n.baseModels.flatMap((b) =>
      'modelVersionId' in b && ids.has(b.modelVersionId) ? [{ from: b.modelVersionId, to: n.modelVersionId, relation: b.relation ?? null }] : [],
    ),
  );
};

/**
 * Places each model version of the set around the root by breadth-first walks down (descendants)
 * and up (ancestors). Each node is visited once, so a cycle ends the walk; a node that is both
 * (only in a cycle) counts as a descendant.
 */
export const placeLineage = <N extends LineageNodeSource>(rootId: string, nodes: readonly N[]): { ancestors: Placed<N>[]; descendants: Placed<N>[] } => {
  const byId = new Map(nodes.map((n) => [n.modelVersionId, n]));
  const edges = lineageEdges(nodes);
  const walk = (step: (id: string) => Array<{ next: string; relation: BaseModelRelation | null }>, sign: 1 | -1, skip: ReadonlySet<string>) => {
    const seen = new Set([rootId]);
    const placed: Placed<N>[] = [];
    let frontier = [rootId];
    for (let depth = 1; frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const id of frontier)
        for (const { next: to, relation } of step(id)) {
          if (seen.has(to)) continue;
          seen.add(to);
          next.push(to);
          if (!skip.has(to)) placed.push({ node: byId.get(to)!, depth: sign * depth, relation });
        }
      frontier = next;
    }
    return placed;
  };
  const children = new Map<string, Array<{ next: string; relation: BaseModelRelation | null }>>();
  const parents = new Map<string, Array<{ next: string; relation: BaseModelRelation | null }>>();
  const add = (links: typeof children, key: string, link: { next: string; relation: BaseModelRelation | null }) => {
    const list = links.get(key);
    if (list) list.push(link);
    else links.set(key, [link]);
  };
  for (const e of edges) {
    add(children, e.from, { next: e.to, relation: e.relation });
    add(parents, e.to, { next: e.from, relation: e.relation });
  }
  const descendants = walk((id) => children.get(id) ?? [], 1, new Set());
  const below = new Set(descendants.map((d) => d.node.modelVersionId));
  const ancestors = walk((id) => parents.get(id) ?? [], -1, below);
  return { ancestors, descendants };
};
