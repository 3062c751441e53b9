/** Release levels from most closed to most open. */
export const RELEASE_LEVELS = ['withheld', 'internal', 'api', 'gated', 'restricted_download', 'open'] as const;

export type ReleaseLevel = (typeof RELEASE_LEVELS)[number];

export const GATING_APPROVALS = ['manual', 'automatic'] as const;

export type GatingApproval = (typeof GATING_APPROVALS)[number];

/** How a `gated` component is checked before access. */
export type Gating = { criteria: string[]; approval: GatingApproval };
