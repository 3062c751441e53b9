import { EVENT_PAYLOAD_SCHEMAS } from '@app/cases';
import { EVENT_TYPES, SYSTEM_EVENT_TYPES } from '@app/workflow';
import { openApiSchema } from '../../common/openapi.decorators.js';

type ObjectSchema = { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;

/**
 * `{type, ...payload}` as one alternative per event a user may fire (system events are the
 * worker's), so a generated client can type each event's payload.
 */
export const fireEventBodySchema = (): Record<string, unknown> => ({
  oneOf: EVENT_TYPES.filter((type) => !SYSTEM_EVENT_TYPES.includes(type)).map((type) => {
    const payload = openApiSchema(EVENT_PAYLOAD_SCHEMAS[type], 'input') as ObjectSchema;
    return {
      ...payload,
      title: type,
      properties: { type: { type: 'string', enum: [type] }, ...payload.properties },
      required: ['type', ...(payload.required ?? [])],
    };
  }),
});
