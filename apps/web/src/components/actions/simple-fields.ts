import type { EventPayload, EventType } from '../../api/client';
import { COMPONENTS, CONFLICT_KINDS, CONFLICT_SCOPES, FLAG_OPINIONS, ASSURANCES, SEVERITIES, type CaseView, type Role } from '../../api/types';
import { words } from '../format';

/** Events whose payload is a few plain fields; the others have forms of their own. */
export type SimpleEvent = Exclude<EventType, 'ASSIGN_AUDITOR' | 'REASSIGN_AUDITOR' | 'APPROVE' | 'RECORD_RELEASE'>;

export interface FieldSpec<T extends SimpleEvent> {
  /** A field of the event's payload, as the schema names it. */
  name: keyof EventPayload<T> & string;
  label: string;
  kind: 'text' | 'textarea' | 'select';
  options?: Array<{ value: string; label: string }>;
  required?: boolean;
}

export type SimpleFields = { [T in SimpleEvent]: Array<FieldSpec<T>> };

const opts = (values: readonly string[]) => values.map((v) => ({ value: v, label: words(v) }));

/** The fields of each simple event's form, for this case and this caller. */
export const simpleFields = (c: CaseView, role: Role): SimpleFields => {
  const findings = c.findings.filter((f) => f.status !== 'resolved').map((f) => ({ value: f.id, label: `${f.severity}: ${f.title} (${f.status})` }));
  return {
    SUBMIT: [],
    RESUBMIT: [],
    AMEND: [],
    WITHDRAW: [{ name: 'reason', label: 'Reason (optional)', kind: 'textarea' }],
    REQUEST_INFO: [{ name: 'question', label: 'Question for the developer', kind: 'textarea', required: true }],
    PROVIDE_INFO: [{ name: 'answer', label: 'Answer', kind: 'textarea', required: true }],
    REQUEST_CHANGES: [{ name: 'summary', label: 'Changes needed', kind: 'textarea', required: true }],
    REQUIRE_CHANGES: [{ name: 'summary', label: 'Changes needed', kind: 'textarea', required: true }],
    CLEAR: [{ name: 'note', label: 'Note', kind: 'textarea', required: true }],
    HOLD: [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true }],
    REQUIRE_REASSESSMENT: [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true }],
    REVOKE: [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true }],
    ADD_FINDING: [
      { name: 'severity', label: 'Severity', kind: 'select', options: opts(SEVERITIES), required: true },
      { name: 'title', label: 'Title', kind: 'text', required: true },
      { name: 'detail', label: 'Detail', kind: 'textarea', required: true },
      { name: 'component', label: 'Component (optional)', kind: 'select', options: opts(COMPONENTS) },
      { name: 'domain', label: 'Domain (optional)', kind: 'select', options: opts((c.assessment?.evaluations ?? []).map((e) => e.domain)) },
    ],
    RESOLVE_FINDING: [
      { name: 'findingId', label: 'Finding', kind: 'select', options: findings, required: true },
      { name: 'note', label: 'Resolution note', kind: 'textarea', required: true },
    ],
    RESPOND_FINDING: [
      { name: 'findingId', label: 'Finding', kind: 'select', options: findings, required: true },
      { name: 'response', label: 'Response', kind: 'textarea', required: true },
    ],
    DECLARE_CONFLICT: [
      { name: 'kind', label: 'Kind of conflict', kind: 'select', options: opts(CONFLICT_KINDS), required: true },
      // Individual first: an auditor's own conflict is the usual case.
      { name: 'scope', label: 'Scope', kind: 'select', options: opts(['individual', ...CONFLICT_SCOPES.filter((s) => s !== 'individual')]), required: true },
      { name: 'reason', label: 'Reason', kind: 'textarea', required: true },
    ],
    FLAG:
      role === 'auditor'
        ? [
            { name: 'reason', label: 'Reason (the basis of your opinion)', kind: 'textarea', required: true },
            { name: 'opinion', label: 'Opinion (optional)', kind: 'select', options: opts(FLAG_OPINIONS) },
            { name: 'assurance', label: 'Assurance (optional)', kind: 'select', options: opts(ASSURANCES) },
          ]
        : [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true }],
  };
};

/** The payload the form's values make: trimmed, empty optional fields left out. */
export const payloadOf = <T extends SimpleEvent>(values: Record<string, string>): EventPayload<T> =>
  // The keys are the fields' names (checked against the payload type above) and the choices come
  // from lists generated from the same schema; the server validates the payload again.
  Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()])) as EventPayload<T>;
