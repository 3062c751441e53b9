import { z } from 'zod';
import { ROLES } from '@app/workflow';
import { named, timestamp } from '../../common/openapi.decorators.js';
import { OPERATOR_LOG_TYPES } from '../operator-log-types.js';

/** Response bodies of the operator-log routes. */

export const operatorLogItemSchema = z.object({
  seq: z.number().int(),
  type: z.enum(OPERATOR_LOG_TYPES),
  actor: z.union([z.object({ id: z.uuid(), role: z.enum(ROLES), organisationId: z.uuid().nullable() }), z.literal('system')]),
  fromState: z.null(),
  toState: z.null(),
  at: timestamp(),
  payload: z.record(z.string(), z.unknown()).meta({ description: 'what the action did; never a secret' }),
  prevHash: z.string(),
  hash: z.string().meta({ description: 'SHA-256 of the JCS row without `hash`, with `caseId` = "operator-log"' }),
});

export const operatorLogPageSchema = named('OperatorLogPage', z.object({ items: z.array(operatorLogItemSchema), nextCursor: z.string().nullable() }));
