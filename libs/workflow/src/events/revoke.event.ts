import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { text } from './payload-fields.js';
import { flaggedWhileReleased } from './shared.guards.js';

export const revoke = defineEvent({
  type: 'REVOKE',
  actor: 'regulator',
  payload: () => z.strictObject({ reason: text() }),
  guards: [flaggedWhileReleased],
});
