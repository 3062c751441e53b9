import { useState } from 'react';
import { ASSURANCES, COMPONENTS, RELEASE_LEVELS, SIGN_OFF_OPINIONS, type Component, type ReleaseLevel } from '../../api/types';
import { words } from '../format';
import { EventForm, type EventFormProps } from './event-form';

interface ConditionRow { text: string; component: Component | ''; maxRelease: ReleaseLevel | '' }

/** A sign-off: an unmodified or qualified opinion on the current revision hash, with its conditions. */
export function ApproveForm(props: EventFormProps) {
  const { caseView } = props;
  const [opinion, setOpinion] = useState<(typeof SIGN_OFF_OPINIONS)[number]>('unmodified');
  const [assurance, setAssurance] = useState<(typeof ASSURANCES)[number]>('reasonable');
  const [basis, setBasis] = useState('');
  const [conditions, setConditions] = useState<ConditionRow[]>([]);
  const setCondition = (i: number, patch: Partial<ConditionRow>) => setConditions((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const build = () => ({
    revisionHash: caseView.revisionHash ?? '',
    opinion,
    assurance,
    ...(basis.trim() ? { basis: basis.trim() } : {}),
    conditions: conditions.map((c) => ({ text: c.text, ...(c.component ? { component: c.component } : {}), ...(c.maxRelease ? { maxRelease: c.maxRelease } : {}) })),
  });
  return (
    <EventForm type="APPROVE" build={build} {...props}
      intro={<p>You sign revision {caseView.revision}, hash <code className="hash">{caseView.revisionHash}</code>.</p>}>
      <div className="row">
        <div className="field">
          <label htmlFor="approve-opinion">Opinion</label>
          <select id="approve-opinion" value={opinion} onChange={(e) => setOpinion(e.target.value as typeof opinion)}>
            {SIGN_OFF_OPINIONS.map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="approve-assurance">Assurance</label>
          <select id="approve-assurance" value={assurance} onChange={(e) => setAssurance(e.target.value as typeof assurance)}>
            {ASSURANCES.map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="approve-basis">Basis {opinion === 'unmodified' ? '(optional)' : '(required for a qualified opinion)'}</label>
        <textarea id="approve-basis" rows={3} required={opinion !== 'unmodified'} value={basis} onChange={(e) => setBasis(e.target.value)} />
      </div>
      <fieldset>
        <legend>Conditions</legend>
        {conditions.length === 0 && <p>No conditions.</p>}
        {conditions.map((c, i) => (
          <div className="row" key={i} role="group" aria-label={`Condition ${i + 1}`}>
            <div className="field">
              <label htmlFor={`condition-${i}-text`}>Text of condition {i + 1}</label>
              <input id={`condition-${i}-text`} required value={c.text} onChange={(e) => setCondition(i, { text: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`condition-${i}-component`}>Component of condition {i + 1}</label>
              <select id={`condition-${i}-component`} value={c.component} onChange={(e) => setCondition(i, { component: e.target.value as ConditionRow['component'] })}>
                <option value="">any</option>
                {COMPONENTS.map((x) => <option key={x} value={x}>{words(x)}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`condition-${i}-max`}>Most open release under condition {i + 1}</label>
              <select id={`condition-${i}-max`} value={c.maxRelease} onChange={(e) => setCondition(i, { maxRelease: e.target.value as ConditionRow['maxRelease'] })}>
                <option value="">no limit</option>
                {RELEASE_LEVELS.map((x) => <option key={x} value={x}>{words(x)}</option>)}
              </select>
            </div>
            <button type="button" className="secondary" onClick={() => setConditions((cs) => cs.filter((_, j) => j !== i))}>Remove condition {i + 1}</button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setConditions((cs) => [...cs, { text: '', component: '', maxRelease: '' }])}>Add a condition</button>
      </fieldset>
    </EventForm>
  );
}
