import { api, read } from '../../api/client';
import type { components } from '../../api/schema';

export type Incident = components['schemas']['Incident'];
export type IncidentCategory = Incident['category'];

/** The categories of SPEC's incidents, as the report form offers them (the compiler checks them against the schema). */
export const INCIDENT_CATEGORIES = ['critical_infrastructure', 'cybersecurity', 'death', 'serious_harm', 'other'] as const satisfies readonly IncidentCategory[];

export const reportIncident = (caseId: string, body: { category: IncidentCategory; summary: string; occurredAt: string; awareAt: string }) =>
  read(api.POST('/v1/cases/{id}/incidents', { params: { path: { id: caseId } }, body }));

export const addIncidentUpdate = (id: string, body: { text: string; final?: boolean }) =>
  read(api.POST('/v1/incidents/{id}/updates', { params: { path: { id } }, body }));

export const closeIncident = (id: string, note: string) => read(api.POST('/v1/incidents/{id}/close', { params: { path: { id } }, body: { note } }));

/** `datetime-local` input (read as UTC, as every time in Clearance is shown) → RFC 3339. */
export const fromLocalInput = (value: string): string => new Date(`${value}:00.000Z`).toISOString();

/** Now, as a `datetime-local` value in UTC. */
export const nowInput = (): string => new Date().toISOString().slice(0, 16);
