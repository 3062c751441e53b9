import { FieldErrors, errorsUnder, type FieldProblem } from '../../components/field-errors';
import type { SafeguardRow } from './form-state';

const KINDS = ['deployment', 'access', 'monitoring', 'training', 'legal'];
// The schema takes any residual risk text; these are the words the tiers use.
const RISKS = ['low', 'moderate', 'high', 'critical'];

/** Section 4: the safeguards, each with its residual risk. */
export function SafeguardsFieldset({ rows, problems, onChange, onAdd, onRemove }: {
  rows: SafeguardRow[];
  problems: FieldProblem[];
  onChange: (index: number, patch: Partial<SafeguardRow>) => void;
  onAdd: () => void;
  onRemove: (index: number) => void;
}) {
  const at = (path: string) => errorsUnder(problems, path);
  return (
    <fieldset>
      <legend>4. Safeguards</legend>
      <FieldErrors problems={problems.filter((p) => p.path === '$.safeguards')} />
      {rows.length === 0 && <p>No safeguards yet.</p>}
      {rows.map((s, i) => (
        <div className="group" key={i} role="group" aria-labelledby={`safeguard-${i}`}>
          <h3 id={`safeguard-${i}`}>Safeguard {i + 1}</h3>
          <div className="row">
            <div className="field">
              <label htmlFor={`safeguard-${i}-kind`}>Kind</label>
              <input id={`safeguard-${i}-kind`} list="safeguard-kinds" value={s.kind} onChange={(e) => onChange(i, { kind: e.target.value })} />
              <FieldErrors problems={at(`$.safeguards[${i}].kind`)} />
            </div>
            <div className="field">
              <label htmlFor={`safeguard-${i}-risk`}>Residual risk</label>
              <select id={`safeguard-${i}-risk`} value={s.residualRisk} onChange={(e) => onChange(i, { residualRisk: e.target.value })}>
                <option value="">choose…</option>
                {RISKS.map((r) => <option key={r} value={r}>{r}</option>)}
              </select>
              <FieldErrors problems={at(`$.safeguards[${i}].residualRisk`)} />
            </div>
          </div>
          <div className="field">
            <label htmlFor={`safeguard-${i}-description`}>Description</label>
            <textarea id={`safeguard-${i}-description`} rows={2} value={s.description} onChange={(e) => onChange(i, { description: e.target.value })} />
            <FieldErrors problems={at(`$.safeguards[${i}].description`)} />
          </div>
          <button type="button" className="secondary" onClick={() => onRemove(i)}>Remove safeguard {i + 1}</button>
        </div>
      ))}
      <datalist id="safeguard-kinds">
        {KINDS.map((k) => <option key={k} value={k} />)}
      </datalist>
      <button type="button" className="secondary" onClick={onAdd}>Add a safeguard</button>
    </fieldset>
  );
}
