import { ProblemError } from '@app/problems';

/** 409: incidents are reported only on a case once released (SPEC "Incidents"). */
export const notReleased = () =>
  new ProblemError(409, 'not-released', 'Case never released', 'incidents are reported on a case once released (releasedAt set)');

/** 409: a closed incident takes no update and no second closing. */
export const incidentClosed = () => new ProblemError(409, 'incident-closed', 'Incident closed', 'the incident is closed');
