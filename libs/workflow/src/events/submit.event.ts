import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { revisionHashKnown } from './shared.guards.js';

export const submit = defineEvent({
  type: 'SUBMIT',
  actor: 'developer',
  payload: () => z.strictObject({}),
  guards: [revisionHashKnown],
});
