import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { revision } from './payload-fields.js';
import { currentRevision } from './shared.guards.js';

export const intakeFailed = defineEvent({
  type: 'INTAKE_FAILED',
  actor: 'system',
  payload: () =>
    z.strictObject({
      revision: revision(),
      reasons: z.array(z.strictObject({ rule: z.string(), path: z.string(), message: z.string() })),
    }),
  guards: [currentRevision],
});
