import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { text } from './payload-fields.js';

export const clear = defineEvent({
  type: 'CLEAR',
  actor: 'regulator',
  payload: () => z.strictObject({ note: text() }),
  guards: [],
});
