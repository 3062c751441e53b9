import { useEffect, useId, useState } from 'react';
import type { Workflow } from '../../api/types';
import { words } from '../format';
import { Loading, ProblemMessage } from '../problem';

/** The whole machine, drawn by Mermaid from `GET /v1/workflow`, with `highlight` (a state) marked. */
export function WorkflowChart({ workflow, highlight }: { workflow: Workflow; highlight?: string }) {
  const [drawn, setDrawn] = useState<{ source: string; svg: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
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
      {drawn?.source === source
        ? <div role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: drawn.svg }} />
        : error ? <ProblemMessage error={error} /> : <Loading what="the chart" />}
      {marked && <figcaption><strong>{words(marked)}</strong> is highlighted.</figcaption>}
    </figure>
  );
}
