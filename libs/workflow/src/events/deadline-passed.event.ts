import { z } from 'zod';
import { STATE_DEADLINE } from '../deadline-kinds.js';
import { defineEvent } from './define-event.js';
import { id } from './payload-fields.js';

export const deadlinePassed = defineEvent({
  type: 'DEADLINE_PASSED',
  actor: 'system',
  payload: () => z.strictObject({ deadlineId: id() }),
  guards: [
    {
      rule: 'deadline-open',
      check: ({ facts, state }) =>
        facts.deadline && facts.deadline.kind === STATE_DEADLINE[state]
          ? null
          : 'the deadline is not the open, due deadline of this state',
    },
  ],
  facts: ['deadline'],
  records: true,
  subject: ({ facts }) => facts.deadline ?? null,
});
