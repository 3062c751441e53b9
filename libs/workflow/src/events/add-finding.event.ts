import { z } from 'zod';
import { findingsRaised } from '../case-context.js';
import { defineEvent } from './define-event.js';
import { component, text } from './payload-fields.js';

/**
 * The most findings one case holds. Every write answers with the case view, which lists them
 * all, and the model report draws each one: without a bound one auditor could make every
 * answer on the case megabytes long and its report undrawable (about 1.5 ms per finding).
 */
export const MAX_FINDINGS_PER_CASE = 500;

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
  guards: [
    {
      rule: 'findings-within-limit',
      payloadIndependent: true,
      check: ({ context }) =>
        findingsRaised(context) < MAX_FINDINGS_PER_CASE
          ? null
          : `the case already holds ${MAX_FINDINGS_PER_CASE} findings, the most a case holds`,
    },
  ],
  records: true,
  subject: ({ user }) => (user ? { raisedBy: user.id } : null),
});
