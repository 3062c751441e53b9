import { z } from 'zod';
import { COMPONENTS, RELEASE_LEVELS, recordReleaseComponentsSchema, zodIssuesToProblems } from '@app/policy';
import { findInvalidString } from '@app/integrity';
import { validationFailed } from '@app/problems';
import { CaseEvents, isCaseEventType, type CaseEventType } from '@app/workflow';

const text = (max = 20_000) => z.string().trim().min(1).max(max);
const id = z.uuid();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

const condition = z.strictObject({
  text: text(),
  component: z.enum(COMPONENTS).optional(),
  maxRelease: z.enum(RELEASE_LEVELS).optional(),
});

/** Payload schemas per event type (the body without `type`); unknown fields are invalid. */
export const EVENT_PAYLOAD_SCHEMAS: Record<CaseEventType, z.ZodType> = {
  [CaseEvents.SUBMIT]: z.strictObject({}),
  [CaseEvents.INTAKE_PASSED]: z.strictObject({ revision: z.number().int().min(1) }),
  [CaseEvents.INTAKE_FAILED]: z.strictObject({
    revision: z.number().int().min(1),
    reasons: z.array(z.strictObject({ rule: z.string(), path: z.string(), message: z.string() })),
  }),
  [CaseEvents.ASSIGN_AUDITOR]: z.strictObject({ auditorId: id }),
  [CaseEvents.REASSIGN_AUDITOR]: z.strictObject({ fromAuditorId: id, toAuditorId: id }),
  [CaseEvents.DECLARE_CONFLICT]: z.strictObject({
    kind: z.enum(['financial', 'operational', 'management', 'personal']),
    scope: z.enum(['firm', 'individual']),
    reason: text(),
  }),
  [CaseEvents.ADD_FINDING]: z.strictObject({
    severity: z.enum(['info', 'minor', 'major', 'critical']),
    title: text(500),
    detail: text(),
    component: z.enum(COMPONENTS).optional(),
    domain: text(100).optional(),
  }),
  [CaseEvents.RESOLVE_FINDING]: z.strictObject({ findingId: id, note: text() }),
  [CaseEvents.RESPOND_FINDING]: z.strictObject({ findingId: id, response: text() }),
  [CaseEvents.REQUEST_INFO]: z.strictObject({ question: text() }),
  [CaseEvents.PROVIDE_INFO]: z.strictObject({ answer: text() }),
  [CaseEvents.REQUEST_CHANGES]: z.strictObject({ summary: text() }),
  [CaseEvents.RESUBMIT]: z.strictObject({}),
  [CaseEvents.APPROVE]: z
    .strictObject({
      revisionHash: sha256,
      opinion: z.enum(['unmodified', 'qualified']),
      assurance: z.enum(['reasonable', 'limited']),
      basis: text().optional(),
      conditions: z.array(condition).max(100),
    })
    .superRefine((value, ctx) => {
      if (value.opinion !== 'unmodified' && value.basis === undefined)
        ctx.addIssue({ code: 'custom', path: ['basis'], message: 'required unless the opinion is unmodified' });
    }),
  [CaseEvents.FLAG]: z
    .strictObject({
      reason: text(),
      opinion: z.enum(['adverse', 'disclaimer']).optional(),
      assurance: z.enum(['reasonable', 'limited']).optional(),
    })
    .superRefine((value, ctx) => {
      if (value.opinion !== undefined && value.assurance === undefined)
        ctx.addIssue({ code: 'custom', path: ['assurance'], message: 'required with an opinion' });
      if (value.opinion === undefined && value.assurance !== undefined)
        ctx.addIssue({ code: 'custom', path: ['assurance'], message: 'only with an opinion' });
    }),
  [CaseEvents.CLEAR]: z.strictObject({ note: text() }),
  [CaseEvents.REQUIRE_CHANGES]: z.strictObject({ summary: text() }),
  [CaseEvents.HOLD]: z.strictObject({ reason: text() }),
  [CaseEvents.AMEND]: z.strictObject({}),
  [CaseEvents.RECORD_RELEASE]: z.strictObject({ components: recordReleaseComponentsSchema }),
  [CaseEvents.REQUIRE_REASSESSMENT]: z.strictObject({ reason: text() }),
  [CaseEvents.REVOKE]: z.strictObject({ reason: text() }),
  [CaseEvents.WITHDRAW]: z.strictObject({ reason: text().optional() }),
  [CaseEvents.DEADLINE_PASSED]: z.strictObject({ deadlineId: id }),
  [CaseEvents.BASE_MODEL_FLAGGED]: z.strictObject({ modelVersionId: id }),
};

/** Splits `{type, ...payload}` and validates both, listing every problem (400 validation). */
export const parseEventBody = (body: unknown): { type: CaseEventType; payload: Record<string, unknown> } => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw validationFailed([{ path: '$', message: 'the body must be a JSON object' }]);
  const { type, ...rest } = body as Record<string, unknown>;
  if (type === undefined) throw validationFailed([{ path: '$.type', message: 'required' }]);
  if (!isCaseEventType(type)) throw validationFailed([{ path: '$.type', message: `unknown event type ${JSON.stringify(type)}` }]);
  const badString = findInvalidString(rest);
  if (badString) throw validationFailed([{ path: badString, message: 'strings may not hold U+0000 or a lone surrogate' }]);
  const result = EVENT_PAYLOAD_SCHEMAS[type].safeParse(rest);
  if (!result.success) throw validationFailed(zodIssuesToProblems(result.error.issues));
  return { type, payload: result.data as Record<string, unknown> };
};
