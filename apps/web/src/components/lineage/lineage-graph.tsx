import { Link } from 'react-router';
import { words } from '../format';

/** One model version in a lineage view; `depth` places it: negative ancestors, 0 the one shown, positive descendants. */
export interface LineageNodeView {
  id: string;
  label: string;
  depth: number;
  /** Where its own page is (a case or a registry record); none when the reader may not open it. */
  href?: string;
  state?: string | null;
  flagged?: boolean;
}

export interface LineageEdgeView {
  from: string;
  to: string;
  relation: string | null;
}

/**
 * A small lineage graph: one column per generation, ancestors left and descendants right, each
 * node linked to its page and naming the bases it derives from; flagged ones are marked.
 * Presentational only, so the case page and the public record page feed it their own data.
 */
export function LineageGraph({ nodes, edges, label = 'Lineage' }: { nodes: readonly LineageNodeView[]; edges: readonly LineageEdgeView[]; label?: string }) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const depths = [...new Set(nodes.map((n) => n.depth))].sort((a, b) => a - b);
  const basesOf = (id: string) => edges.filter((e) => e.to === id && byId.has(e.from));
  return (
    <ol className="lineage" aria-label={label}>
      {depths.map((depth) => (
        <li key={depth} className="lineage-generation">
          <span className="lineage-depth">{depth === 0 ? 'this model' : depth < 0 ? `ancestors, ${-depth} up` : `descendants, ${depth} down`}</span>
          <ul>
            {nodes.filter((n) => n.depth === depth).map((n) => (
              <li key={n.id} className={`lineage-node${n.flagged ? ' lineage-flagged' : ''}${depth === 0 ? ' lineage-current' : ''}`} data-testid="lineage-node">
                {n.href && depth !== 0 ? <Link to={n.href}>{n.label}</Link> : <strong>{n.label}</strong>}
                {n.state && <> <span className={`state state-${n.state}`}>{words(n.state)}</span></>}
                {n.flagged && <> <span className="lineage-flag" data-testid="lineage-flag">flagged</span></>}
                {basesOf(n.id).length > 0 && (
                  <small className="lineage-bases">
                    from {basesOf(n.id).map((e) => `${byId.get(e.from)!.label}${e.relation ? ` (${e.relation})` : ''}`).join(', ')}
                  </small>
                )}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
