export const ROLES = ['developer', 'auditor', 'regulator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const Roles = Object.fromEntries(ROLES.map((r) => [r, r])) as { readonly [R in Role]: R };

export const ORGANISATION_KINDS = ['developer', 'audit_firm', 'regulator'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** A user's role must match its organisation's kind (SPEC.md, Users). */
export const ROLE_FOR_ORGANISATION_KIND: Record<OrganisationKind, Role> = {
  developer: 'developer',
  audit_firm: 'auditor',
  regulator: 'regulator',
};
