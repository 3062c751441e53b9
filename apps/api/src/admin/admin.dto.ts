import { z } from 'zod';
import { ORGANISATION_KINDS, ROLES } from '@app/workflow';

export const createOrganisationSchema = z.strictObject({
  name: z.string().trim().min(1).max(300),
  kind: z.enum(ORGANISATION_KINDS),
});

export const createUserSchema = z.strictObject({
  email: z.email().max(320),
  displayName: z.string().trim().min(1).max(300),
  organisationId: z.uuid().nullable(),
  role: z.enum(ROLES),
});

export const createConflictSchema = z.strictObject({
  auditFirmId: z.uuid(),
  developerOrganisationId: z.uuid(),
  kind: z.enum(['financial', 'operational', 'management', 'personal']),
  scope: z.enum(['firm', 'individual']).default('firm'),
  auditorId: z.uuid().optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});
