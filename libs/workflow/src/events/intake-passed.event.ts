import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { revision } from './payload-fields.js';
import { currentRevision } from './shared.guards.js';

export const intakePassed = defineEvent({
  type: 'INTAKE_PASSED',
  actor: 'system',
  payload: () => z.strictObject({ revision: revision() }),
  guards: [currentRevision],
  facts: ['requirements', 'validAuditorIds'],
});
