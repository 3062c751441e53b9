import type { z } from 'zod';
import { COMPONENTS, RELEASE_LEVELS, recordReleaseComponentsSchema, zodIssuesToProblems } from '@app/policy';
import { findInvalidString } from '@app/integrity';
import { validationFailed } from '@app/problems';
import { buildPayloadSchemas, isCaseEventType, type CaseEventType, type EventPayload } from '@app/workflow';

/** The event catalog's payload schemas, written in the policy vocabulary (the body without `type`). */
export const EVENT_PAYLOAD_SCHEMAS = buildPayloadSchemas({
  components: COMPONENTS,
  releaseLevels: RELEASE_LEVELS,
  recordReleaseComponents: recordReleaseComponentsSchema,
});

/** A body split into its event type and that event's validated payload. */
export interface ParsedEvent<E extends CaseEventType = CaseEventType> {
  type: E;
  payload: EventPayload<E>;
}

const parsePayload = <E extends CaseEventType>(type: E, rest: Record<string, unknown>): ParsedEvent<E> => {
  const schema: z.ZodType<EventPayload<E>> = EVENT_PAYLOAD_SCHEMAS[type];
  const result = schema.safeParse(rest);
  if (!result.success) throw validationFailed(zodIssuesToProblems(result.error.issues));
  return { type, payload: result.data };
};

const isJsonObject = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body);

/** Splits `{type, ...payload}` and validates both, listing every problem (400 validation). */
export const parseEventBody = (body: unknown): ParsedEvent => {
  if (!isJsonObject(body)) throw validationFailed([{ path: '$', message: 'the body must be a JSON object' }]);
  const { type, ...rest } = body;
  if (type === undefined) throw validationFailed([{ path: '$.type', message: 'required' }]);
  if (!isCaseEventType(type)) throw validationFailed([{ path: '$.type', message: `unknown event type ${JSON.stringify(type)}` }]);
  const badString = findInvalidString(rest);
  if (badString) throw validationFailed([{ path: badString, message: 'strings may not hold U+0000 or a lone surrogate' }]);
  return parsePayload(type, rest);
};
