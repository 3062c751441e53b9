import { useState, type FormEvent, type ReactNode } from 'react';
import { fireEvent, type EventPayload, type EventType } from '../../api/client';
import type { CaseView } from '../../api/types';
import { ProblemMessage } from '../problem';
import { EVENT_LABELS } from './event-labels';

/** Called with the case as the server answered the event. */
export type Done = (updated: CaseView) => void;

export interface EventFormProps {
  caseView: CaseView;
  onDone: Done;
  onCancel: () => void;
}

/** A titled form that fires `type` with the payload `build()` returns. */
export function EventForm<T extends EventType>({ type, caseView, build, onDone, onCancel, children, intro }: EventFormProps & {
  type: T;
  build: () => EventPayload<T>;
  children?: ReactNode;
  intro?: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const label = EVENT_LABELS[type];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await fireEvent(caseView.id, type, build()));
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`form-${type}`} className="stack">
      <h3 id={`form-${type}`}>{label}</h3>
      {intro}
      {children}
      <div className="button-row">
        <button type="submit" disabled={busy}>{busy ? `${label}…` : `Confirm: ${label}`}</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
      <ProblemMessage error={error} />
    </form>
  );
}
