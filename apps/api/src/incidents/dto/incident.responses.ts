import { z } from 'zod';
import { INCIDENT_CATEGORIES } from '@app/policy';
import { INCIDENT_FINAL_REPORT } from '@app/workflow';
import { named, timestamp } from '../../common/openapi.decorators.js';

/** Response bodies of the incident routes, as IncidentsQuery builds them. */

const incidentListItem = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  category: z.enum(INCIDENT_CATEGORIES),
  status: z.enum(['open', 'closed']),
  summary: z.string(),
  occurredAt: timestamp(),
  awareAt: timestamp(),
  reportedAt: timestamp(),
  reportDueAt: timestamp().meta({ description: '`awareAt` + the pinned pack’s clock for the category' }),
  reportedLate: z.boolean().meta({ description: 'the report came after `reportDueAt` (marked, never refused)' }),
  finalReportDueAt: timestamp().meta({ description: 'report time + the pack’s `finalReport` clock' }),
  finalReportAt: timestamp().nullable().meta({ description: 'the first `final` update' }),
  closedAt: timestamp().nullable(),
});

export const incidentViewSchema = named(
  'Incident',
  incidentListItem.extend({
    reportedBy: z.uuid(),
    closedBy: z.uuid().nullable(),
    closeNote: z.string().nullable(),
    finalReportDeadline: z
      .object({
        id: z.uuid(),
        kind: z.literal(INCIDENT_FINAL_REPORT),
        dueAt: timestamp(),
        escalatedAt: timestamp().nullable(),
        closedAt: timestamp().nullable(),
      })
      .nullable(),
    updates: z.array(z.object({ id: z.uuid(), authorId: z.uuid(), text: z.string(), final: z.boolean(), at: timestamp() })),
  }),
);

export const incidentPageSchema = named('IncidentPage', z.object({ items: z.array(incidentListItem), nextCursor: z.string().nullable() }));

export const incidentQueuePageSchema = named(
  'IncidentQueuePage',
  z.object({
    items: z.array(
      z.object({
        incidentId: z.uuid(),
        caseId: z.uuid(),
        category: z.enum(INCIDENT_CATEGORIES),
        reportDueAt: timestamp(),
        finalReportDueAt: timestamp(),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
);
