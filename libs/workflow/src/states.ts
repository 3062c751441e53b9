/** Case states of SPEC.md; the only place their names are written as literals. */
export const CASE_STATES = [
  'draft',
  'intake',
  'awaiting_assignment',
  'in_audit',
  'info_requested',
  'changes_requested',
  'regulator_review',
  'cleared',
  'released',
  'reassessment_required',
  'held',
  'withdrawn',
  'lapsed',
  'expired',
  'revoked',
] as const;

export type CaseState = (typeof CASE_STATES)[number];

export const CaseStates = Object.fromEntries(CASE_STATES.map((s) => [s, s])) as {
  readonly [S in CaseState]: S;
};

export const FINAL_STATES: readonly CaseState[] = [
  CaseStates.withdrawn,
  CaseStates.lapsed,
  CaseStates.expired,
  CaseStates.revoked,
];

export const isFinalState = (state: CaseState): boolean => FINAL_STATES.includes(state);

export const isCaseState = (value: unknown): value is CaseState =>
  typeof value === 'string' && (CASE_STATES as readonly string[]).includes(value);
