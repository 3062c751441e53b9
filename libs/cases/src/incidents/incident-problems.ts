import { ProblemError } from '@app/problems';

/** 409: incidents are reported only on a case once released (SPEC "Incidents"). */
export const notReleased = () =>
  new ProblemError(409, 'not-released', 'Case never released', 'incidents are reported on a case once released (releasedAt set)');

/** 409: a closed incident takes no update and no second closing. */
export const incidentClosed = () => new ProblemError(409, 'incident-closed', 'Incident closed', 'the incident is closed');

/** 409: an incident takes at most `max` updates before its final report (MAX_INCIDENT_UPDATES). */
export const tooManyIncidentUpdates = (max: number) =>
  new ProblemError(
    409,
    'too-many-incident-updates',
    'Too many incident updates',
    `an incident holds at most ${max} updates; send the final report (final: true), which is always taken`,
  );
