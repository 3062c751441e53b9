import { CaseRecordEvents, type HistoryEventType } from './case-record-events.js';
import { CaseEvents } from './event-types.js';
import { CaseStates, type CaseState } from './states.js';

/** Who a notification goes to: the case's developer organisation, its assigned auditors, or every regulator. */
export type Party = 'developer' | 'assigned_auditors' | 'regulators';

/** Who must act once a case has entered this state. */
const ACTS_NEXT: Record<CaseState, Party[]> = {
  [CaseStates.draft]: ['developer'],
  [CaseStates.intake]: [],
  [CaseStates.awaiting_assignment]: ['regulators'],
  [CaseStates.in_audit]: ['assigned_auditors'],
  [CaseStates.info_requested]: ['developer'],
  [CaseStates.changes_requested]: ['developer'],
  [CaseStates.regulator_review]: ['regulators'],
  [CaseStates.cleared]: ['developer'],
  [CaseStates.released]: ['regulators'],
  [CaseStates.reassessment_required]: ['developer'],
  [CaseStates.held]: ['developer'],
  [CaseStates.withdrawn]: ['assigned_auditors', 'regulators'],
  [CaseStates.lapsed]: ['developer', 'regulators'],
  [CaseStates.expired]: ['developer', 'regulators'],
  [CaseStates.revoked]: ['developer', 'assigned_auditors'],
};

/** Self-transitions that still ask someone to act. */
const SELF_AUDIENCE: Partial<Record<HistoryEventType, Party[]>> = {
  [CaseEvents.ASSIGN_AUDITOR]: ['assigned_auditors'],
  [CaseEvents.REASSIGN_AUDITOR]: ['assigned_auditors'],
  [CaseEvents.ADD_FINDING]: ['developer'],
  [CaseEvents.RESPOND_FINDING]: ['assigned_auditors'],
  [CaseEvents.RESOLVE_FINDING]: ['developer'],
  // An escalated deadline: the regulators step in.
  [CaseEvents.DEADLINE_PASSED]: ['regulators'],
  // Incidents: the regulators hear of each report and update, the developer of the report and the closing.
  [CaseRecordEvents.INCIDENT_REPORTED]: ['developer', 'regulators'],
  [CaseRecordEvents.INCIDENT_UPDATED]: ['regulators'],
  [CaseRecordEvents.INCIDENT_CLOSED]: ['developer', 'regulators'],
  // A redaction changes what the developer's next public records show.
  [CaseRecordEvents.REDACTION_ADDED]: ['developer'],
};

/** The parties to notify of a step: who must act next. */
export const notificationAudience = (type: HistoryEventType, fromState: CaseState, toState: CaseState): Party[] =>
  fromState === toState ? (SELF_AUDIENCE[type] ?? []) : ACTS_NEXT[toState];

/**
 * The same rule as a table, for a statement that applies it to a history row in Postgres
 * (the notification fan-out): `self` when the step stays in its state, `actsNext` otherwise.
 */
export const NOTIFICATION_AUDIENCE: {
  readonly actsNext: Readonly<Record<CaseState, Party[]>>;
  readonly self: Readonly<Partial<Record<HistoryEventType, Party[]>>>;
} = { actsNext: ACTS_NEXT, self: SELF_AUDIENCE };
