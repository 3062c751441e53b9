import { COMPONENTS, GATING_APPROVALS, GATING_CRITERIA, RELEASE_LEVELS, type Component, type GatingApproval, type ReleaseLevel } from '../../api/types';
import { FieldErrors, type FieldProblem } from '../../components/field-errors';
import { words } from '../../components/format';
import type { ComponentRow } from './form-state';

/** The release decision for each of the 17 components, with gating when gated. */
export function ComponentsTable({ rows, problemsOf, onChange }: {
  rows: Record<Component, ComponentRow>;
  problemsOf: (name: Component) => FieldProblem[];
  onChange: (name: Component, patch: Partial<ComponentRow>) => void;
}) {
  return (
    <table className="components">
      <caption className="visually-hidden">The 17 components of the Model Openness Framework</caption>
      <thead>
        <tr><th scope="col">Component</th><th scope="col">Release</th><th scope="col">Gating criteria</th><th scope="col">Approval</th></tr>
      </thead>
      <tbody>
        {COMPONENTS.map((name) => {
          const row = rows[name];
          const rowProblems = problemsOf(name);
          return (
            <tr key={name} className={rowProblems.length ? 'has-error' : undefined}>
              <th scope="row">{words(name)}</th>
              <td>
                <label className="visually-hidden" htmlFor={`release-${name}`}>Release of {words(name)}</label>
                <select id={`release-${name}`} value={row.release} onChange={(e) => onChange(name, { release: e.target.value as ReleaseLevel })}>
                  {RELEASE_LEVELS.map((level) => <option key={level} value={level}>{words(level)}</option>)}
                </select>
                <FieldErrors problems={rowProblems} />
              </td>
              <td>
                {row.release === 'gated' ? (
                  <fieldset className="inline">
                    <legend className="visually-hidden">Gating criteria of {words(name)}</legend>
                    {GATING_CRITERIA.map((criterion) => (
                      <label key={criterion} className="check">
                        <input
                          type="checkbox"
                          checked={row.criteria.includes(criterion)}
                          onChange={(e) => onChange(name, { criteria: e.target.checked ? [...row.criteria, criterion] : row.criteria.filter((x) => x !== criterion) })}
                        />
                        {words(criterion)}
                      </label>
                    ))}
                  </fieldset>
                ) : '—'}
              </td>
              <td>
                {row.release === 'gated' ? (
                  <>
                    <label className="visually-hidden" htmlFor={`approval-${name}`}>Approval of {words(name)}</label>
                    <select id={`approval-${name}`} value={row.approval} onChange={(e) => onChange(name, { approval: e.target.value as GatingApproval })}>
                      {GATING_APPROVALS.map((a) => <option key={a} value={a}>{a}</option>)}
                    </select>
                  </>
                ) : '—'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
