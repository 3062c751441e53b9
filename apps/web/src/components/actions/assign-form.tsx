import { useCallback, useState } from 'react';
import { api, read } from '../../api/client';
import type { AuditorOption } from '../../api/types';
import { ProblemMessage } from '../problem';
import { useLoad } from '../use-load';
import { EventForm, type EventFormProps } from './event-form';

/** Assigns or replaces an auditor; only auditors the server says it would accept are offered. */
export function AssignForm({ type, ...props }: EventFormProps & { type: 'ASSIGN_AUDITOR' | 'REASSIGN_AUDITOR' }) {
  const { caseView } = props;
  const caseId = caseView.id;
  // Never offered from a list loaded before the case last changed: the panel remounts this form at each version.
  const loadAuditors = useCallback((signal: AbortSignal) => read(api.GET('/v1/auditors', { params: { query: { caseId } }, signal })), [caseId]);
  const auditors = useLoad(loadAuditors);
  const assigned = caseView.assignments.filter((a) => !a.unassignedAt).map((a) => a.auditorId);
  const all = auditors.data?.items ?? [];
  // ASSIGN offers what the server marks assignable; REASSIGN replaces in a state ASSIGN does not accept,
  // so it offers the auditors whose only objection is that state.
  const candidates = all.filter((a) =>
    type === 'ASSIGN_AUDITOR' ? a.assignable : !assigned.includes(a.id) && (a.reasons ?? []).every((r) => r.rule === 'state-accepts'),
  );
  const refused = all.filter((a) => !candidates.includes(a) && !assigned.includes(a.id));
  const nameOf = (id: string) => all.find((a) => a.id === id)?.displayName ?? id;
  const [to, setTo] = useState('');
  const [from, setFrom] = useState(assigned[0] ?? '');
  const chosen = to || (candidates[0]?.id ?? '');
  const label = (a: AuditorOption) => `${a.displayName} (${a.organisationName ?? a.organisationId})`;
  const form = (
    <>
      {auditors.loading && <p role="status">Loading auditors…</p>}
      <ProblemMessage error={auditors.error} />
      {type === 'REASSIGN_AUDITOR' && (
        <div className="field">
          <label htmlFor="reassign-from">Auditor to replace</label>
          <select id="reassign-from" value={from} onChange={(e) => setFrom(e.target.value)}>
            {assigned.map((id) => <option key={id} value={id}>{nameOf(id)}</option>)}
          </select>
        </div>
      )}
      {auditors.data && !auditors.loading && (candidates.length === 0 ? <p>No auditor can be assigned now.</p> : (
        <div className="field">
          <label htmlFor={`${type}-auditor`}>{type === 'ASSIGN_AUDITOR' ? 'Auditor to assign' : 'Replacement auditor'}</label>
          <select id={`${type}-auditor`} value={chosen} onChange={(e) => setTo(e.target.value)}>
            {candidates.map((a) => <option key={a.id} value={a.id}>{label(a)}</option>)}
          </select>
        </div>
      ))}
      {refused.length > 0 && !auditors.loading && (
        <details>
          <summary>Auditors who cannot be assigned, and why ({refused.length})</summary>
          <ul>
            {refused.map((a) => <li key={a.id}>{label(a)}: {(a.reasons ?? []).map((r) => r.message).join('; ')}</li>)}
          </ul>
        </details>
      )}
    </>
  );
  return type === 'ASSIGN_AUDITOR'
    ? <EventForm type={type} build={() => ({ auditorId: chosen })} {...props}>{form}</EventForm>
    : <EventForm type={type} build={() => ({ fromAuditorId: from, toAuditorId: chosen })} {...props}>{form}</EventForm>;
}
