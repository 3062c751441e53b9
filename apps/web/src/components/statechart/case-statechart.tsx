import { useCallback } from 'react';
import { Link } from 'react-router';
import { api, read } from '../../api/client';
import type { CaseState, HistoryItem } from '../../api/types';
import { words as machineWords } from '../format';
import { Loading, ProblemMessage } from '../problem';
import { useLoad } from '../use-load';
import { layout, neighbourhood, type Arrow } from './neighbourhood';

// Event names are upper case in the machine; in sentences and on arrows they read in lower case.
const words = (name: string) => machineWords(name).toLowerCase();

const path = (a: Arrow) => a.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');

/**
 * The case's part of the workflow, readable at the default size: where it came from, its current
 * state, and the events that leave it. The whole machine is on the workflow page.
 */
export function CaseStatechart({ current, history }: { current: CaseState; history: readonly HistoryItem[] }) {
  const workflow = useLoad(useCallback((signal: AbortSignal) => read(api.GET('/v1/workflow', { signal })), []));
  const n = workflow.data ? neighbourhood(workflow.data.transitions, current, history) : null;
  const drawing = n ? layout(n, words) : null;
  const description = n
    ? `The case is ${words(n.current)}${n.cameFrom ? `, reached from ${words(n.cameFrom.state)} by ${words(n.cameFrom.event)}` : ''}. ` +
      (n.exits.length ? `It can move on to ${n.exits.map((e) => `${words(e.to)} (${e.events.map(words).join(', ')})`).join('; ')}.` : 'No event leaves this state.')
    : '';
  return (
    <section aria-labelledby="statechart-heading">
      <h2 id="statechart-heading">Where the case is in the workflow</h2>
      {!n || !drawing ? (workflow.error ? <ProblemMessage error={workflow.error} /> : <Loading what="the workflow" />) : (
        <figure className="statechart local">
          <svg role="img" aria-labelledby="statechart-desc" viewBox={`0 0 ${drawing.width} ${drawing.height}`} width="100%" style={{ maxWidth: drawing.width }}>
            <defs>
              <marker id="statechart-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" className="statechart-head" />
              </marker>
            </defs>
            {drawing.arrows.map((a) => (
              <g key={`${a.lines.join(' ')}-${a.labelAt.y}`}>
                <path d={path(a)} className="statechart-edge" markerEnd="url(#statechart-arrow)" />
                <text x={a.labelAt.x} y={a.labelAt.y - (a.lines.length - 1) * 17} textAnchor="end" className="statechart-event">
                  {a.lines.map((line, i) => <tspan key={i} x={a.labelAt.x} dy={i === 0 ? 0 : 17}>{line}</tspan>)}
                </text>
              </g>
            ))}
            {[drawing.previous, drawing.current, ...drawing.targets].map((box) => box && (
              <g key={`${box.x}-${box.y}`} className={box === drawing.current ? 'statechart-state current' : box === drawing.previous ? 'statechart-state previous' : 'statechart-state'}>
                <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={10} />
                <text x={box.x + box.width / 2} y={box.y + box.height / 2 + 5} textAnchor="middle">{box.label}</text>
              </g>
            ))}
          </svg>
          <figcaption>
            <p id="statechart-desc">{description}</p>
            {n.stays.length > 0 && <p>Events that keep it {words(n.current)}: {n.stays.map(words).join(', ')}.</p>}
            <p>The machine’s guards decide which of these apply to this case; “Your actions” lists what you may do now. <Link to={`/workflow?state=${n.current}`}>The whole workflow</Link></p>
          </figcaption>
        </figure>
      )}
    </section>
  );
}
