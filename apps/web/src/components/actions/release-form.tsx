import { useState } from 'react';
import { RELEASE_LEVELS, type ReleaseLevel } from '../../api/types';
import { words } from '../format';
import { EventForm, type EventFormProps } from './event-form';

interface ReleaseRow { include: boolean; release: ReleaseLevel; location: string; sha256: string }

/** Where each assessed component was released; the server refuses anything more open than cleared. */
export function ReleaseForm(props: EventFormProps) {
  const { caseView } = props;
  const assessed = (caseView.assessment?.components ?? []).filter((c) => c.release !== 'withheld');
  const [rows, setRows] = useState<Record<string, ReleaseRow>>(() =>
    Object.fromEntries(assessed.map((c) => [c.component, { include: true, release: c.release, location: '', sha256: c.component === 'model_parameters' ? (caseView.model?.checkpointSha256 ?? '') : '' }])),
  );
  const setRow = (component: string, patch: Partial<ReleaseRow>) => setRows((r) => ({ ...r, [component]: { ...r[component]!, ...patch } }));
  const build = () => ({
    components: assessed
      .filter((c) => rows[c.component]!.include)
      .map((c) => {
        const row = rows[c.component]!;
        return {
          component: c.component,
          release: row.release,
          location: row.location.trim(),
          ...(row.release === 'gated' && c.gating ? { gating: c.gating } : {}),
          ...(row.sha256.trim() ? { sha256: row.sha256.trim() } : {}),
        };
      }),
  });
  return (
    <EventForm type="RECORD_RELEASE" build={build} {...props}
      intro={<p>Record where each component was released. Nothing may be more open, or more weakly gated, than cleared.</p>}>
      {assessed.map((c) => {
        const row = rows[c.component]!;
        const base = `release-${c.component}`;
        return (
          <fieldset key={c.component}>
            <legend>{words(c.component)} (assessed: {words(c.release)}{c.gating ? `, ${c.gating.criteria.map(words).join(', ')}, ${c.gating.approval} approval` : ''})</legend>
            <label className="check"><input type="checkbox" checked={row.include} onChange={(e) => setRow(c.component, { include: e.target.checked })} /> Released</label>
            {row.include && (
              <div className="row">
                <div className="field">
                  <label htmlFor={`${base}-level`}>Release level of {words(c.component)}</label>
                  <select id={`${base}-level`} value={row.release} onChange={(e) => setRow(c.component, { release: e.target.value as ReleaseLevel })}>
                    {RELEASE_LEVELS.filter((l) => l !== 'withheld').map((l) => <option key={l} value={l}>{words(l)}</option>)}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`${base}-location`}>Location of {words(c.component)}</label>
                  <input id={`${base}-location`} type="url" required value={row.location} onChange={(e) => setRow(c.component, { location: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${base}-sha`}>SHA-256 of {words(c.component)}{c.component === 'model_parameters' ? '' : ' (optional)'}</label>
                  <input id={`${base}-sha`} className="mono" value={row.sha256} onChange={(e) => setRow(c.component, { sha256: e.target.value })} />
                </div>
              </div>
            )}
          </fieldset>
        );
      })}
    </EventForm>
  );
}
