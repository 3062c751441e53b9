import { useEffect, useId, useState } from 'react';
import type { Workflow } from '../../api/types';
import { words } from '../format';
import { Loading, ProblemMessage } from '../problem';

/** The width Mermaid drew the chart at (its viewBox), so that it is shown unscaled. */
const naturalWidth = (svg: string): number | undefined => {
  const width = Number(/viewBox="[-\d.]+ [-\d.]+ ([\d.]+)/.exec(svg)?.[1]);
  return Number.isFinite(width) && width > 0 ? width : undefined;
};

/** The whole machine, drawn by Mermaid from `GET /v1/workflow`, with `highlight` (a state) marked. */
export function WorkflowChart({ workflow, highlight }: { workflow: Workflow; highlight?: string }) {
  const [drawn, setDrawn] = useState<{ source: string; svg: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [actualSize, setActualSize] = useState(false);
  const id = `workflow-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const marked = highlight && (workflow.states as string[]).includes(highlight) ? highlight : null;
  const source = marked
    ? `${workflow.mermaid}\n  classDef current fill:#ffd54f,stroke:#5d4037,stroke-width:3px,color:#000\n  class ${marked} current\n`
    : workflow.mermaid;

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        // Mermaid is large: loaded only when the chart is shown.
        const { default: mermaid } = await import('mermaid');
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });
        const { svg } = await mermaid.render(id, source);
        if (!cancelled) setDrawn({ source, svg });
      } catch (e) {
        if (!cancelled) setError(e as Error);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [source, id]);

  const label = `Workflow statechart: ${workflow.states.length} states, ${workflow.transitions.length} transitions${marked ? `; ${words(marked)} is highlighted` : ''}`;
  return (
    <figure className="statechart">
      {drawn?.source === source ? (
        <>
          {/* Fitted to the page the chart is an overview; at its own size its words are legible and it scrolls. */}
          <button type="button" className="secondary" aria-pressed={actualSize} onClick={() => setActualSize((a) => !a)}>
            {actualSize ? 'Fit the chart to the page' : 'Show the chart at actual size'}
          </button>
          <div className="chart-scroll" tabIndex={0} role="region" aria-label="Workflow chart">
            <div role="img" aria-label={label} style={actualSize ? { width: naturalWidth(drawn.svg) } : undefined} dangerouslySetInnerHTML={{ __html: drawn.svg }} />
          </div>
        </>
      ) : error ? <ProblemMessage error={error} /> : <Loading what="the chart" />}
      {marked && <figcaption><strong>{words(marked)}</strong> is highlighted.</figcaption>}
    </figure>
  );
}
