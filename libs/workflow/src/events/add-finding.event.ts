import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { component, text } from './payload-fields.js';

export const addFinding = defineEvent({
  type: 'ADD_FINDING',
  actor: 'assigned_auditor',
  payload: (policy) =>
    z.strictObject({
      severity: z.enum(['info', 'minor', 'major', 'critical']),
      title: text(500),
      detail: text(),
      component: component(policy).optional(),
      domain: text(100).optional(),
    }),
  guards: [],
  records: true,
  subject: ({ user }) => (user ? { raisedBy: user.id } : null),
});
