/** What a serious incident after release concerns (SPEC "Incidents"), in the order of its default clocks. */
export const INCIDENT_CATEGORIES = ['critical_infrastructure', 'cybersecurity', 'death', 'serious_harm', 'other'] as const;

export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];
