import { useCallback } from 'react';
import { api, read } from '../../api/client';
import type { CaseView } from '../../api/types';
import { LineageGraph } from '../../components/lineage/lineage-graph';
import { Loading, ProblemMessage } from '../../components/problem';
import { useLoad } from '../../components/use-load';

/** The regulator's lineage graph of the case's model version (GET /v1/lineage is the regulator's alone). */
export function LineageSection({ caseView: c }: { caseView: CaseView }) {
  const modelVersionId = c.model?.id;
  const version = c.version;
  // Loaded again at each new version of the case: a hold or a revocation changes the flags.
  const graph = useLoad(useCallback(async (signal: AbortSignal) => {
    if (!modelVersionId) return null;
    return { version, graph: await read(api.GET('/v1/lineage/{modelVersionId}', { params: { path: { modelVersionId } }, signal })) };
  }, [modelVersionId, version]));
  const data = graph.data?.graph;
  return (
    <section aria-labelledby="lineage-heading">
      <h2 id="lineage-heading">Lineage</h2>
      {data ? (
        data.nodes.length === 1 && data.nodes[0]!.externalBases.length === 0 ? <p>No base model and no descendant in Clearance.</p> : (
          <>
            <LineageGraph
              nodes={data.nodes.map((n) => ({
                id: n.modelVersionId,
                label: `${n.name} ${n.version}`,
                depth: n.depth,
                href: n.case ? `/cases/${n.case.id}` : undefined,
                state: n.case?.state ?? null,
                flagged: n.flagged,
              }))}
              edges={data.edges}
            />
            {data.truncated && <p>Only the nearest 1,000 model versions each way are shown: open one at the edge to see beyond it.</p>}
            {data.nodes.some((n) => n.externalBases.length > 0) && (
              <ul>
                {data.nodes.flatMap((n) => n.externalBases.map((b, i) => (
                  <li key={`${n.modelVersionId}-${i}`}>{n.name} {n.version} from <a href={b.origin} rel="noreferrer">{b.name}</a>{b.relation && ` (${b.relation})`}, outside Clearance</li>
                )))}
              </ul>
            )}
          </>
        )
      ) : graph.error ? <ProblemMessage error={graph.error} /> : <Loading what="the lineage" />}
    </section>
  );
}
