import type { CaseContext, CaseEvent } from '../case-context.js';
import type { GuardFailure, GuardInput } from '../events/define-event.js';
import { eventEntry, payloadOf, type CaseEventType, type EventPayload, type EventSubject } from '../events/event-catalog.js';
import type { CaseState } from '../states.js';

export type { GuardFailure };
export { raiserOrReplacement } from '../events/shared.guards.js';

/** What the event's guards see: the current state is one of the facts. */
const guardInput = <E extends CaseEventType>(
  type: E,
  state: CaseState,
  context: CaseContext,
  event: Pick<CaseEvent, 'payload' | 'facts'>,
): GuardInput<EventPayload<E>> => ({
  state,
  context,
  facts: event.facts,
  user: event.facts.actor === 'system' ? null : event.facts.actor,
  payload: payloadOf(type, event.payload),
});

const failures = <E extends CaseEventType>(
  type: E,
  state: CaseState,
  context: CaseContext,
  event: CaseEvent,
  onlyPayloadIndependent: boolean,
): GuardFailure[] => {
  const input = guardInput(type, state, context, event);
  return eventEntry(type)
    .guards.filter((guard) => !onlyPayloadIndependent || guard.payloadIndependent)
    .flatMap((guard) => {
      const verdict = guard.check(input);
      if (verdict === null) return [];
      return typeof verdict === 'string' ? [{ rule: guard.rule, message: verdict }] : verdict;
    });
};

/** Every catalog guard the event fails in this state (422 guard-failed lists them all). */
export const guardFailures = (state: CaseState, context: CaseContext, event: CaseEvent): GuardFailure[] =>
  failures(event.type, state, context, event, false);

/** Only the guards that need no payload: they decide allowedEvents. */
export const payloadIndependentFailures = (state: CaseState, context: CaseContext, event: CaseEvent): GuardFailure[] =>
  failures(event.type, state, context, event, true);

/**
 * What an accepted event acts on, from its catalog entry (state and context as before the step).
 * Throws when the guards let through an event without it: a defect, never a refusal.
 */
export const eventSubject = <E extends CaseEventType>(
  type: E,
  state: CaseState,
  context: CaseContext,
  event: Pick<CaseEvent, 'payload' | 'facts'>,
): EventSubject<E> => {
  const read = eventEntry(type).subject;
  // An event without a subject acts on its payload alone.
  if (!read) return {} as EventSubject<E>;
  const subject = read(guardInput(type, state, context, event));
  if (subject === null) throw new Error(`${type} passed its guards without what it acts on`);
  return subject;
};
