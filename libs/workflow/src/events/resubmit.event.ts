import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { revisionHashKnown } from './shared.guards.js';

export const resubmit = defineEvent({
  type: 'RESUBMIT',
  actor: 'developer',
  payload: () => z.strictObject({}),
  guards: [
    revisionHashKnown,
    {
      rule: 'revision-changed',
      check: ({ context, facts }) =>
        facts.revisionHash !== undefined && facts.revisionHash === context.revisionHash
          ? 'the assessment and evidence are unchanged since the last revision'
          : null,
    },
  ],
});
