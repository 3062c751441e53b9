import { useState } from 'react';
import type { EventType } from '../../api/client';
import type { CaseView, Role } from '../../api/types';
import { ApproveForm } from './approve-form';
import { AssignForm } from './assign-form';
import { isPersonEvent, labelOf } from './event-labels';
import type { Done, EventFormProps } from './event-form';
import { ReleaseForm } from './release-form';
import { simpleFields, type SimpleEvent, type SimpleFields } from './simple-fields';
import { SimpleForm } from './simple-form';

/** Exactly the caller's allowedEvents, as buttons; each opens the form for its payload. */
export function ActionsPanel({ caseView, role, onDone }: { caseView: CaseView; role: Role; onDone: Done }) {
  const [open, setOpen] = useState<EventType | null>(null);
  const events = caseView.allowedEvents.filter(isPersonEvent);
  return (
    <section aria-labelledby="actions-heading" className="actions">
      <h2 id="actions-heading">Your actions</h2>
      {events.length === 0 ? <p>There is nothing for you to do on this case in its current state.</p> : (
        <div className="button-row" role="group" aria-label="Actions you may take">
          {events.map((type) => (
            <button
              key={type}
              type="button"
              className={open === type ? 'active' : undefined}
              aria-expanded={open === type}
              aria-controls={`action-${type}`}
              onClick={() => setOpen(open === type ? null : type)}
            >
              {labelOf(type)}
            </button>
          ))}
        </div>
      )}
      {open && events.includes(open) && (
        <div id={`action-${open}`} className="action-form">
          {/* Keyed by version: a form never outlives the case state it was opened in. */}
          <ActionForm key={`${open}-${caseView.version}`} type={open} role={role} caseView={caseView} onDone={(c) => { setOpen(null); onDone(c); }} onCancel={() => setOpen(null)} />
        </div>
      )}
    </section>
  );
}

function ActionForm({ type, role, ...props }: EventFormProps & { type: EventType; role: Role }) {
  switch (type) {
    case 'ASSIGN_AUDITOR':
    case 'REASSIGN_AUDITOR':
      return <AssignForm type={type} {...props} />;
    case 'APPROVE':
      return <ApproveForm {...props} />;
    case 'RECORD_RELEASE':
      return <ReleaseForm {...props} />;
    default:
      return simpleForm(type, simpleFields(props.caseView, role), props);
  }
}

// Generic in the event type, so that the compiler pairs each event with its own fields.
const simpleForm = <T extends SimpleEvent>(type: T, fields: SimpleFields, props: EventFormProps) => <SimpleForm type={type} fields={fields[type]} {...props} />;
