import { z } from 'zod';
import { isAssigned } from '../guards/is-assigned.util.js';
import { defineEvent } from './define-event.js';
import { id } from './payload-fields.js';
import { candidateRules } from './shared.guards.js';

export const reassignAuditor = defineEvent({
  type: 'REASSIGN_AUDITOR',
  actor: 'regulator',
  payload: () => z.strictObject({ fromAuditorId: id(), toAuditorId: id() }),
  guards: [
    {
      rule: 'from-assigned',
      check: ({ context, payload }) => (isAssigned(context, payload.fromAuditorId) ? null : 'fromAuditorId is not currently assigned'),
    },
    ...candidateRules<{ fromAuditorId: string }>((payload) => payload.fromAuditorId),
  ],
  facts: ['candidate'],
  records: true,
  subject: ({ facts }) =>
    facts.candidate?.organisationId ? { auditorId: facts.candidate.id, auditFirmId: facts.candidate.organisationId } : null,
});
