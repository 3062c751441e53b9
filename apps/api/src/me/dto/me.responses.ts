import { z } from 'zod';
import { ORGANISATION_KINDS, ROLES } from '@app/workflow';
import { named } from '../../common/openapi.decorators.js';

/** `GET /v1/me`: the caller, and its organisation (null for an admin). */
export const meSchema = named('Me', z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  organisationId: z.uuid().nullable(),
  role: z.enum(ROLES),
  organisation: z.object({ id: z.uuid(), name: z.string(), kind: z.enum(ORGANISATION_KINDS) }).nullable(),
}));
