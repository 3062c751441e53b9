import type { IncidentCategory } from '../vocabulary/incident-categories.js';
import { parseIsoDuration } from './iso-duration.util.js';
import type { PolicyPack } from './policy-pack.schema.js';

/** SPEC's clocks for a pack without an `incidents` section (caip-2025@1 and every pack before it). */
export const DEFAULT_INCIDENT_CLOCKS = {
  report: { critical_infrastructure: 'P2D', cybersecurity: 'P5D', death: 'P10D', serious_harm: 'P15D', other: 'P15D' },
  finalReport: 'P60D',
} as const satisfies { report: Record<IncidentCategory, string>; finalReport: string };

/** How long after awareness an incident of `category` must be reported, and how long after the report the final report is due, in ms. */
export const incidentClocks = (pack: Pick<PolicyPack, 'incidents'>, category: IncidentCategory): { reportMs: number; finalReportMs: number } => {
  const clocks = pack.incidents ?? DEFAULT_INCIDENT_CLOCKS;
  return { reportMs: parseIsoDuration(clocks.report[category]), finalReportMs: parseIsoDuration(clocks.finalReport) };
};
