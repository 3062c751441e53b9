import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { id, text } from './payload-fields.js';
import { findingRules } from './shared.guards.js';

export const resolveFinding = defineEvent({
  type: 'RESOLVE_FINDING',
  actor: 'assigned_auditor',
  payload: () => z.strictObject({ findingId: id(), note: text() }),
  guards: findingRules(true),
  facts: ['finding'],
  records: true,
});
