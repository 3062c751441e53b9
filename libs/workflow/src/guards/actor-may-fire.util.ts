import type { Actor, CaseContext } from '../case-context.js';
import { CaseEvents, SYSTEM_EVENT_TYPES, type CaseEventType } from '../event-types.js';
import { Roles } from '../roles.js';

type ActorColumn = 'developer' | 'assigned_auditor' | 'regulator' | 'assigned_auditor_or_regulator' | 'system';

/** SPEC.md's "actor" column of the event table. */
export const EVENT_ACTORS: Record<CaseEventType, ActorColumn> = {
  [CaseEvents.SUBMIT]: 'developer',
  [CaseEvents.INTAKE_PASSED]: 'system',
  [CaseEvents.INTAKE_FAILED]: 'system',
  [CaseEvents.ASSIGN_AUDITOR]: 'regulator',
  [CaseEvents.REASSIGN_AUDITOR]: 'regulator',
  [CaseEvents.DECLARE_CONFLICT]: 'assigned_auditor',
  [CaseEvents.ADD_FINDING]: 'assigned_auditor',
  [CaseEvents.RESOLVE_FINDING]: 'assigned_auditor',
  [CaseEvents.RESPOND_FINDING]: 'developer',
  [CaseEvents.REQUEST_INFO]: 'assigned_auditor',
  [CaseEvents.PROVIDE_INFO]: 'developer',
  [CaseEvents.REQUEST_CHANGES]: 'assigned_auditor',
  [CaseEvents.RESUBMIT]: 'developer',
  [CaseEvents.APPROVE]: 'assigned_auditor',
  [CaseEvents.FLAG]: 'assigned_auditor_or_regulator',
  [CaseEvents.CLEAR]: 'regulator',
  [CaseEvents.REQUIRE_CHANGES]: 'regulator',
  [CaseEvents.HOLD]: 'regulator',
  [CaseEvents.AMEND]: 'developer',
  [CaseEvents.RECORD_RELEASE]: 'developer',
  [CaseEvents.REQUIRE_REASSESSMENT]: 'regulator',
  [CaseEvents.REVOKE]: 'regulator',
  [CaseEvents.WITHDRAW]: 'developer',
  [CaseEvents.DEADLINE_PASSED]: 'system',
  [CaseEvents.BASE_MODEL_FLAGGED]: 'system',
};

export const isAssigned = (context: CaseContext, userId: string): boolean =>
  context.assignments.some((a) => a.auditorId === userId);

/** Whether the actor column admits this caller; false answers 403 forbidden. */
export const actorMayFire = (type: CaseEventType, actor: Actor, context: CaseContext): boolean => {
  if (actor === 'system') return SYSTEM_EVENT_TYPES.includes(type);
  const column = EVENT_ACTORS[type];
  const developer = actor.role === Roles.developer && actor.organisationId === context.developerOrganisationId;
  const assignedAuditor = actor.role === Roles.auditor && isAssigned(context, actor.id);
  const regulator = actor.role === Roles.regulator;
  switch (column) {
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
