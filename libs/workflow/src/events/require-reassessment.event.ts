import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { text } from './payload-fields.js';
import { flaggedWhileReleased } from './shared.guards.js';

export const requireReassessment = defineEvent({
  type: 'REQUIRE_REASSESSMENT',
  actor: 'regulator',
  payload: () => z.strictObject({ reason: text() }),
  guards: [flaggedWhileReleased],
});
