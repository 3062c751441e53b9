import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { id, text } from './payload-fields.js';
import { findingRules } from './shared.guards.js';

export const respondFinding = defineEvent({
  type: 'RESPOND_FINDING',
  actor: 'developer',
  payload: () => z.strictObject({ findingId: id(), response: text() }),
  guards: findingRules(false),
  facts: ['finding'],
  records: true,
});
