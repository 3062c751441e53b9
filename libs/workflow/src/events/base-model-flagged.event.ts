import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { id } from './payload-fields.js';

export const baseModelFlagged = defineEvent({
  type: 'BASE_MODEL_FLAGGED',
  actor: 'system',
  payload: () => z.strictObject({ modelVersionId: id() }),
  guards: [],
});
