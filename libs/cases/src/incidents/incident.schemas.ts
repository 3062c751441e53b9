import { z } from 'zod';
import { INCIDENT_CATEGORIES } from '@app/policy';

const instant = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time' });

/** `POST /v1/cases/:id/incidents` (SPEC "Incidents"). */
export const reportIncidentSchema = z
  .strictObject({
    category: z.enum(INCIDENT_CATEGORIES),
    summary: z.string().trim().min(1, 'must not be empty').max(20_000),
    occurredAt: instant,
    awareAt: instant,
  })
  .refine((body) => Date.parse(body.awareAt) >= Date.parse(body.occurredAt), {
    path: ['awareAt'],
    message: 'must not be before occurredAt',
  });

/** `POST /v1/incidents/:id/updates`: `final` marks the final report, which closes its deadline. */
export const incidentUpdateSchema = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(20_000),
  final: z.boolean().default(false),
});

/** `POST /v1/incidents/:id/close`. */
export const closeIncidentSchema = z.strictObject({
  note: z.string().trim().min(1, 'must not be empty').max(20_000),
});

export const incidentStatusSchema = z.enum(['open', 'closed']);

export type ReportIncidentCommand = z.infer<typeof reportIncidentSchema>;
export type IncidentUpdateCommand = z.infer<typeof incidentUpdateSchema>;
export type CloseIncidentCommand = z.infer<typeof closeIncidentSchema>;
