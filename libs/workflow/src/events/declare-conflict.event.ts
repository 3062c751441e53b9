import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { text } from './payload-fields.js';

export const declareConflict = defineEvent({
  type: 'DECLARE_CONFLICT',
  actor: 'assigned_auditor',
  payload: () =>
    z.strictObject({
      kind: z.enum(['financial', 'operational', 'management', 'personal']),
      scope: z.enum(['firm', 'individual']),
      reason: text(),
    }),
  guards: [],
  records: true,
  /** The declaring auditor's seat. */
  subject: ({ context, user }) => context.assignments.find((a) => a.auditorId === user?.id) ?? null,
});
