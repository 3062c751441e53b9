import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { id } from './payload-fields.js';
import { candidateRules } from './shared.guards.js';

export const assignAuditor = defineEvent({
  type: 'ASSIGN_AUDITOR',
  actor: 'regulator',
  payload: () => z.strictObject({ auditorId: id() }),
  guards: candidateRules(),
  facts: ['candidate'],
  records: true,
  subject: ({ facts }) =>
    facts.candidate?.organisationId ? { auditorId: facts.candidate.id, auditFirmId: facts.candidate.organisationId } : null,
});
