import { z } from 'zod';

/** The longest a token may live, and the bound of TOKEN_TTL_DAYS (docs/decisions.md). */
export const MAX_TOKEN_DAYS = 365;

/**
 * Live (unrevoked, unexpired) tokens a user may hold: enough for a token per machine and tool,
 * few enough that a stolen session cannot mint credentials without end (docs/decisions.md).
 */
export const MAX_LIVE_TOKENS_PER_USER = 50;

/** `POST /v1/admin/users/:id/tokens` and `POST /v1/me/tokens`: both optional, nothing else. */
export const issueTokenSchema = z.strictObject({
  label: z.string().trim().min(1).max(200).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional().meta({ description: `RFC 3339, in the future and at most ${MAX_TOKEN_DAYS} days ahead` }),
});

export type IssueTokenInput = z.infer<typeof issueTokenSchema>;
