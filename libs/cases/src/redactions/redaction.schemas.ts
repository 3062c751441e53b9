import { z } from 'zod';
import { REDACTABLE_PATHS, REDACTION_REASONS } from '@app/registry';

/** `POST /v1/cases/:id/redactions` (SPEC "Redactions"). */
export const addRedactionSchema = z.strictObject({
  path: z.enum(REDACTABLE_PATHS, { message: `must be one of ${REDACTABLE_PATHS.join(', ')}` }),
  reason: z.enum(REDACTION_REASONS, { message: `must be one of ${REDACTION_REASONS.join(', ')}` }),
});

export type AddRedactionCommand = z.infer<typeof addRedactionSchema>;
