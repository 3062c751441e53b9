import { EVENT_CATALOG, type CaseEventType } from './events/event-catalog.js';

export type { CaseEventType };

/** Event types of SPEC.md, in the catalog's order; each name is written as a literal once, in its catalog file. */
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as readonly CaseEventType[];

export const CaseEvents = Object.fromEntries(EVENT_TYPES.map((e) => [e, e])) as {
  readonly [E in CaseEventType]: E;
};

/** Fired only by the worker; never listed in allowedEvents, 403 for any user. */
export const SYSTEM_EVENT_TYPES: readonly CaseEventType[] = EVENT_TYPES.filter((type) => EVENT_CATALOG[type].actor === 'system');

export const isCaseEventType = (value: unknown): value is CaseEventType =>
  typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
