import { useEffect, useId, useState } from 'react';
import { api, read } from '../api/client';
import { words } from './format';
import { Loading, ProblemMessage } from './problem';

/** The workflow statechart from `GET /v1/workflow`, drawn by Mermaid, with `current` highlighted. */
export function Statechart({ current }: { current: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const id = `statechart-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const workflow = await read(api.GET('/v1/workflow'));
        // Mermaid is large: loaded only when a statechart is shown.
        const { default: mermaid } = await import('mermaid');
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });
        const source = `${workflow.mermaid}\n  classDef current fill:#ffd54f,stroke:#5d4037,stroke-width:3px,color:#000\n  class ${current} current\n`;
        const { svg: drawn } = await mermaid.render(id, source);
        if (!cancelled) setSvg(drawn);
      } catch (e) {
        if (!cancelled) setError(e as Error);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [current, id]);

  return (
    <section aria-labelledby="statechart-heading">
      <h2 id="statechart-heading">Workflow</h2>
      <figure className="statechart">
        {svg ? <div role="img" aria-label={`Workflow statechart; the current state, ${words(current)}, is highlighted`} dangerouslySetInnerHTML={{ __html: svg }} /> : error ? <ProblemMessage error={error} /> : <Loading what="the workflow" />}
        <figcaption>The case is in <strong>{words(current)}</strong> (highlighted).</figcaption>
      </figure>
    </section>
  );
}
