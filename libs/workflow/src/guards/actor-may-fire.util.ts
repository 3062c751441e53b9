import type { Actor, CaseContext } from '../case-context.js';
import type { ActorRule } from '../events/define-event.js';
import { EVENT_CATALOG } from '../events/event-catalog.js';
import { EVENT_TYPES, SYSTEM_EVENT_TYPES, type CaseEventType } from '../event-types.js';
import { Roles } from '../roles.js';
import { isAssigned } from './is-assigned.util.js';

export { isAssigned };

/** SPEC.md's "actor" column of the event table, read from the catalog. */
export const EVENT_ACTORS = Object.fromEntries(EVENT_TYPES.map((type) => [type, EVENT_CATALOG[type].actor])) as Record<
  CaseEventType,
  ActorRule
>;

/** Whether the actor column admits this caller; false answers 403 forbidden. */
export const actorMayFire = (type: CaseEventType, actor: Actor, context: CaseContext): boolean => {
  if (actor === 'system') return SYSTEM_EVENT_TYPES.includes(type);
  const developer = actor.role === Roles.developer && actor.organisationId === context.developerOrganisationId;
  const assignedAuditor = actor.role === Roles.auditor && isAssigned(context, actor.id);
  const regulator = actor.role === Roles.regulator;
  switch (EVENT_CATALOG[type].actor) {
    case 'developer':
      return developer;
    case 'assigned_auditor':
      return assignedAuditor;
    case 'regulator':
      return regulator;
    case 'assigned_auditor_or_regulator':
      return assignedAuditor || regulator;
    case 'system':
      return false;
  }
};
