/** SPEC.md's names, written out independently of libs/workflow so the suites check the code against the spec. */
export const SPEC_NON_FINAL_STATES = [
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
];

export const SPEC_STATES = [...SPEC_NON_FINAL_STATES, 'withdrawn', 'lapsed', 'expired', 'revoked'];

export const SPEC_DEADLINE_KINDS = ['assignment', 'audit', 'review', 'info_response', 'changes_response', 'clearance_validity', 'reassessment'];

export const SPEC_RELEASE_LEVELS = ['withheld', 'internal', 'api', 'gated', 'restricted_download', 'open'];
