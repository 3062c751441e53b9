import { Link } from 'react-router';
import type { CaseSummary } from '../api/types';
import { age, timeLeft, words } from './format';

const deadlineOf = (c: CaseSummary): { kind?: string; dueAt: string } | null =>
  !c.nextDeadline ? null : typeof c.nextDeadline === 'string' ? { dueAt: c.nextDeadline } : c.nextDeadline;

/** Cases as a table; each model name links to its case page. */
export function CaseTable({ cases, caption }: { cases: CaseSummary[]; caption: string }) {
  if (cases.length === 0) return <p>No cases here yet.</p>;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Model version</th>
          <th scope="col">State</th>
          <th scope="col">Tier</th>
          <th scope="col">Revision</th>
          <th scope="col">In state for</th>
          <th scope="col">Next deadline</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((c) => {
          const deadline = deadlineOf(c);
          return (
            <tr key={c.id}>
              <td>
                <Link to={`/cases/${c.id}`}>{c.model ? `${c.model.name} ${c.model.version}` : c.id}</Link>
              </td>
              <td><span className={`state state-${c.state}`}>{words(c.state)}</span></td>
              <td>{words(c.tier)}</td>
              <td>{c.revision}</td>
              <td>{age(c.stateEnteredAt)}</td>
              <td>{deadline ? `${deadline.kind ? `${words(deadline.kind)}: ` : ''}${timeLeft(deadline.dueAt)}` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
