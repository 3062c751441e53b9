import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { text } from './payload-fields.js';

export const requireChanges = defineEvent({
  type: 'REQUIRE_CHANGES',
  actor: 'regulator',
  payload: () => z.strictObject({ summary: text() }),
  guards: [],
});
