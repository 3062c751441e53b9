import { z } from 'zod';
import { defineEvent } from './define-event.js';

export const amend = defineEvent({
  type: 'AMEND',
  actor: 'developer',
  payload: () => z.strictObject({}),
  guards: [],
  records: true,
});
