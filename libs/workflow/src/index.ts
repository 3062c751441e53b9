// Vocabulary first, then what derives from the event catalog.
export * from './states.js';
export * from './deadline-kinds.js';
export * from './roles.js';
export * from './event-types.js';
export * from './case-record-events.js';
export * from './case-context.js';
export * from './effects.js';
export type { ActorRule, EventDefinition, FactName, GuardInput, GuardRule, NoSubject, PolicyVocabulary } from './events/define-event.js';
export {
  EVENT_CATALOG,
  buildPayloadSchemas,
  eventEntry,
  type EventEntry,
  type EventFactNames,
  type EventPayload,
  type EventPayloadSchemas,
  type EventsLoadingFacts,
  type EventsWritingRecords,
  type EventSubject,
} from './events/event-catalog.js';
export { MAX_FINDINGS_PER_CASE } from './events/add-finding.event.js';
export * from './guards/actor-may-fire.util.js';
export * from './guards/event-guards.js';
export { caseMachine, branchConditions, WORKFLOW_VERSION, WORKFLOW_DEFINITIONS } from './case.machine.js';
export * from './workflow.js';
export * from './audience.util.js';
