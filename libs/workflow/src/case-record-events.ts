import { EVENT_TYPES, type CaseEventType } from './event-types.js';

/**
 * History rows recorded beside the workflow machine, never through it (SPEC "Incidents", "Redactions"): they
 * keep the case's state (from = to = the current state), so every definition version takes them.
 */
export const CASE_RECORD_EVENT_TYPES = ['INCIDENT_REPORTED', 'INCIDENT_UPDATED', 'INCIDENT_CLOSED', 'REDACTION_ADDED'] as const;

export type CaseRecordEventType = (typeof CASE_RECORD_EVENT_TYPES)[number];

export const CaseRecordEvents = Object.fromEntries(CASE_RECORD_EVENT_TYPES.map((e) => [e, e])) as {
  readonly [E in CaseRecordEventType]: E;
};

/** Every type a history row may carry: the machine's events and the case records. */
export type HistoryEventType = CaseEventType | CaseRecordEventType;

export const HISTORY_EVENT_TYPES: readonly HistoryEventType[] = [...EVENT_TYPES, ...CASE_RECORD_EVENT_TYPES];
