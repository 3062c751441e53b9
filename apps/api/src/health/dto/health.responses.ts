import { z } from 'zod';
import { named } from '../../common/openapi.decorators.js';

const check = z.enum(['up', 'down']);

/** `GET /health`: 200 `ok`, or 503 `down` with a detail naming what is down. */
export const healthSchema = named('Health', z.object({
  status: z.enum(['ok', 'down']),
  checks: z.object({ postgres: check, redis: check }),
  detail: z.string().optional(),
}));
