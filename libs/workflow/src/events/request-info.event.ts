import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { text } from './payload-fields.js';

export const requestInfo = defineEvent({
  type: 'REQUEST_INFO',
  actor: 'assigned_auditor',
  payload: () => z.strictObject({ question: text() }),
  guards: [],
});
