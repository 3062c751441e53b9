import { useCallback } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, read } from '../api/client';
import { words } from '../components/format';
import { Loading, ProblemMessage } from '../components/problem';
import { usePageTitle } from '../components/session';
import { WorkflowChart } from '../components/statechart/workflow-chart';
import { useLoad } from '../components/use-load';

/** The whole workflow machine: the chart, and the same transitions as a table to read or search. */
export function WorkflowPage() {
  usePageTitle('Workflow');
  const [params] = useSearchParams();
  const highlight = params.get('state') ?? undefined;
  const workflow = useLoad(useCallback((signal: AbortSignal) => read(api.GET('/v1/workflow', { signal })), []));
  if (!workflow.data) return workflow.error ? <ProblemMessage error={workflow.error} /> : <Loading what="the workflow" />;
  const w = workflow.data;
  const system = new Set<string>(w.systemEvents);
  return (
    <section aria-labelledby="workflow-heading" className="workflow">
      <h1 id="workflow-heading">Workflow</h1>
      <p>
        Definition version {w.version}: {w.states.length} states ({w.finalStates.map(words).join(', ')} are final) and {w.transitions.length} transitions.
        Each case shows its own part of it on its page.{' '}
        <Link to="/">Back to the start page</Link>
      </p>
      <WorkflowChart workflow={w} highlight={highlight} />
      <details>
        <summary>The transitions as a table</summary>
        <table>
          <caption className="visually-hidden">Every transition of the workflow</caption>
          <thead><tr><th scope="col">From</th><th scope="col">Event</th><th scope="col">To</th><th scope="col">Fired by</th></tr></thead>
          <tbody>
            {w.transitions.map((t) => (
              <tr key={`${t.from}-${t.event}-${t.to}`} className={t.from === highlight ? 'highlight' : undefined}>
                <td>{words(t.from)}</td>
                <td>{words(t.event)}</td>
                <td>{words(t.to)}</td>
                <td>{system.has(t.event) ? 'the system' : 'a person'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
