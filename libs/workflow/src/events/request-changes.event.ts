import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { text } from './payload-fields.js';

export const requestChanges = defineEvent({
  type: 'REQUEST_CHANGES',
  actor: 'assigned_auditor',
  payload: () => z.strictObject({ summary: text() }),
  guards: [],
});
