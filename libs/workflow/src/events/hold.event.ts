import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { text } from './payload-fields.js';

export const hold = defineEvent({
  type: 'HOLD',
  actor: 'regulator',
  payload: () => z.strictObject({ reason: text() }),
  guards: [],
});
