import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { text } from './payload-fields.js';

export const withdraw = defineEvent({
  type: 'WITHDRAW',
  actor: 'developer',
  payload: () => z.strictObject({ reason: text().optional() }),
  guards: [
    {
      rule: 'never-released',
      payloadIndependent: true,
      check: ({ context }) => (context.released ? 'a case once released is never withdrawn' : null),
    },
  ],
});
