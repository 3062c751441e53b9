/** Event types of SPEC.md; the only place their names are written as literals. */
export const EVENT_TYPES = [
  'SUBMIT',
  'INTAKE_PASSED',
  'INTAKE_FAILED',
  'ASSIGN_AUDITOR',
  'REASSIGN_AUDITOR',
  'DECLARE_CONFLICT',
  'ADD_FINDING',
  'RESOLVE_FINDING',
  'RESPOND_FINDING',
  'REQUEST_INFO',
  'PROVIDE_INFO',
  'REQUEST_CHANGES',
  'RESUBMIT',
  'APPROVE',
  'FLAG',
  'CLEAR',
  'REQUIRE_CHANGES',
  'HOLD',
  'AMEND',
  'RECORD_RELEASE',
  'REQUIRE_REASSESSMENT',
  'REVOKE',
  'WITHDRAW',
  'DEADLINE_PASSED',
  'BASE_MODEL_FLAGGED',
] as const;

export type CaseEventType = (typeof EVENT_TYPES)[number];

export const CaseEvents = Object.fromEntries(EVENT_TYPES.map((e) => [e, e])) as {
  readonly [E in CaseEventType]: E;
};

/** Fired only by the worker; never listed in allowedEvents, 403 for any user. */
export const SYSTEM_EVENT_TYPES: readonly CaseEventType[] = [
  CaseEvents.INTAKE_PASSED,
  CaseEvents.INTAKE_FAILED,
  CaseEvents.DEADLINE_PASSED,
  CaseEvents.BASE_MODEL_FLAGGED,
];

export const isCaseEventType = (value: unknown): value is CaseEventType =>
  typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
