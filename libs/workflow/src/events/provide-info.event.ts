import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { text } from './payload-fields.js';

export const provideInfo = defineEvent({
  type: 'PROVIDE_INFO',
  actor: 'developer',
  payload: () => z.strictObject({ answer: text() }),
  guards: [],
});
