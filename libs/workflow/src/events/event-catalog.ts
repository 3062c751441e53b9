import type { z } from 'zod';
import { addFinding } from './add-finding.event.js';
import { amend } from './amend.event.js';
import { approve } from './approve.event.js';
import { assignAuditor } from './assign-auditor.event.js';
import { baseModelFlagged } from './base-model-flagged.event.js';
import { clear } from './clear.event.js';
import { deadlinePassed } from './deadline-passed.event.js';
import { declareConflict } from './declare-conflict.event.js';
import type { ActorRule, EventDefinition, FactName, GuardInput, GuardRule, NoSubject, PolicyVocabulary } from './define-event.js';
import { flag } from './flag.event.js';
import { hold } from './hold.event.js';
import { intakeFailed } from './intake-failed.event.js';
import { intakePassed } from './intake-passed.event.js';
import { provideInfo } from './provide-info.event.js';
import { reassignAuditor } from './reassign-auditor.event.js';
import { recordRelease } from './record-release.event.js';
import { requestChanges } from './request-changes.event.js';
import { requestInfo } from './request-info.event.js';
import { requireChanges } from './require-changes.event.js';
import { requireReassessment } from './require-reassessment.event.js';
import { resolveFinding } from './resolve-finding.event.js';
import { respondFinding } from './respond-finding.event.js';
import { resubmit } from './resubmit.event.js';
import { revoke } from './revoke.event.js';
import { submit } from './submit.event.js';
import { withdraw } from './withdraw.event.js';

/**
 * Every event of SPEC.md's table, in its order (allowedEvents, the OpenAPI body and the docs
 * list them so). Event types, payload types and actor rules all derive from this object.
 */
export const EVENT_CATALOG = {
  [submit.type]: submit,
  [intakePassed.type]: intakePassed,
  [intakeFailed.type]: intakeFailed,
  [assignAuditor.type]: assignAuditor,
  [reassignAuditor.type]: reassignAuditor,
  [declareConflict.type]: declareConflict,
  [addFinding.type]: addFinding,
  [resolveFinding.type]: resolveFinding,
  [respondFinding.type]: respondFinding,
  [requestInfo.type]: requestInfo,
  [provideInfo.type]: provideInfo,
  [requestChanges.type]: requestChanges,
  [resubmit.type]: resubmit,
  [approve.type]: approve,
  [flag.type]: flag,
  [clear.type]: clear,
  [requireChanges.type]: requireChanges,
  [hold.type]: hold,
  [amend.type]: amend,
  [recordRelease.type]: recordRelease,
  [requireReassessment.type]: requireReassessment,
  [revoke.type]: revoke,
  [withdraw.type]: withdraw,
  [deadlinePassed.type]: deadlinePassed,
  [baseModelFlagged.type]: baseModelFlagged,
};

export type CaseEventType = keyof typeof EVENT_CATALOG;

/** The validated payload of one event type (the body without `type`), e.g. `EventPayload<'APPROVE'>`. */
export type EventPayload<E extends CaseEventType> = z.output<ReturnType<(typeof EVENT_CATALOG)[E]['payload']>>;

/** What an accepted event acts on (`NoSubject` when it declares none), e.g. `EventSubject<'APPROVE'>`. */
export type EventSubject<E extends CaseEventType> =
  (typeof EVENT_CATALOG)[E] extends EventDefinition<string, z.ZodType, infer A, FactName, boolean> ? A : NoSubject;

/** The facts an event declares that the fact loader fetches for it. */
export type EventFactNames<E extends CaseEventType> =
  Extract<(typeof EVENT_CATALOG)[E] extends { facts?: ReadonlyArray<infer F> } ? F : never, FactName>;

/** Events whose catalog entry declares loaded facts: each needs a fact loader in libs/cases. */
export type EventsLoadingFacts = { [E in CaseEventType]: [EventFactNames<E>] extends [never] ? never : E }[CaseEventType];

/** Events whose catalog entry declares records: each needs a record writer in libs/cases. */
export type EventsWritingRecords = { [E in CaseEventType]: (typeof EVENT_CATALOG)[E] extends { records?: true } ? E : never }[CaseEventType];

/** One catalog entry seen through its event type, so generic code indexes the catalog without casts. */
export interface EventEntry<E extends CaseEventType> {
  type: E;
  actor: ActorRule;
  payload: (policy: PolicyVocabulary) => z.ZodType<EventPayload<E>>;
  guards: ReadonlyArray<GuardRule<EventPayload<E>>>;
  subject?: (input: GuardInput<EventPayload<E>>) => EventSubject<E> | null;
}

const ENTRIES: { readonly [E in CaseEventType]: EventEntry<E> } = EVENT_CATALOG;

export const eventEntry = <E extends CaseEventType>(type: E): EventEntry<E> => ENTRIES[type];

/** Every event's payload schema, in the policy vocabulary given (the body without `type`; unknown fields are invalid). */
export type EventPayloadSchemas = { readonly [E in CaseEventType]: z.ZodType<EventPayload<E>> };

export const buildPayloadSchemas = (policy: PolicyVocabulary): EventPayloadSchemas =>
  Object.fromEntries(Object.entries(ENTRIES).map(([type, entry]) => [type, entry.payload(policy)])) as EventPayloadSchemas;

/**
 * The machine's events carry a loose payload; this names its type. Sound because every payload
 * reaches the machine validated by `payloadSchema` at the edge, or built by the worker's own code.
 */
export const payloadOf = <E extends CaseEventType>(_type: E, payload: Record<string, unknown>) => payload as EventPayload<E>;
