/**
 * The operator log's row types, one per admin action (SPEC.md, Operators), plus the two the
 * api itself appends at start as `"system"` (the bootstrap admin, a changed ADMIN_TOKEN).
 * Documented in docs/decisions.md ("Operator log and tokens").
 */
export const OperatorLogTypes = {
  organisationCreated: 'ORGANISATION_CREATED',
  userCreated: 'USER_CREATED',
  tokenIssued: 'TOKEN_ISSUED',
  tokenRevoked: 'TOKEN_REVOKED',
  conflictRecorded: 'CONFLICT_RECORDED',
  policyPackPublished: 'POLICY_PACK_PUBLISHED',
  webhookRedelivered: 'WEBHOOK_REDELIVERED',
  adminBootstrapped: 'ADMIN_BOOTSTRAPPED',
  adminTokenRotated: 'ADMIN_TOKEN_ROTATED',
} as const;

export type OperatorLogType = (typeof OperatorLogTypes)[keyof typeof OperatorLogTypes];

export const OPERATOR_LOG_TYPES = Object.values(OperatorLogTypes) as [OperatorLogType, ...OperatorLogType[]];
