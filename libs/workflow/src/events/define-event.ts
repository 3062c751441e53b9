import type { z } from 'zod';
import type { COMPONENTS, RELEASE_LEVELS, recordReleaseComponentsSchema } from '@app/policy';
import type { CaseContext, EventFacts, UserActor } from '../case-context.js';
import type { CaseState } from '../states.js';

/** SPEC.md's "actor" column of the event table. */
export type ActorRule = 'developer' | 'assigned_auditor' | 'regulator' | 'assigned_auditor_or_regulator' | 'system';

export interface GuardFailure {
  rule: string;
  message: string;
}

/** What a guard sees: the current state is one of the facts, beside context, payload and loaded facts. */
export interface GuardInput<P> {
  state: CaseState;
  context: CaseContext;
  payload: P;
  facts: EventFacts;
  /** The user firing the event, or null for the system. */
  user: UserActor | null;
}

/** Null when the rule holds; else its message, or (RECORD_RELEASE) one failure per violation. */
export type GuardVerdict = string | null | readonly GuardFailure[];

export type GuardRule<P> =
  | {
      rule: string;
      /** Evaluable without the payload, so it decides allowedEvents too. */
      payloadIndependent: true;
      check(input: Omit<GuardInput<P>, 'payload'>): GuardVerdict;
    }
  | { rule: string; payloadIndependent?: false; check(input: GuardInput<P>): GuardVerdict };

/**
 * The policy vocabulary some payloads are written in. Passed in, not imported: @app/policy
 * imports this library's states and deadline kinds, so this library imports only its types.
 */
export interface PolicyVocabulary {
  components: typeof COMPONENTS;
  releaseLevels: typeof RELEASE_LEVELS;
  recordReleaseComponents: typeof recordReleaseComponentsSchema;
}

/** One event of the workflow: its actor rule, its payload schema (the body without `type`) and its guards. */
/** Facts the transition service loads for an event (the actor is always there). */
export type FactName = Exclude<keyof EventFacts, 'actor' | 'now'>;

export interface EventDefinition<T extends string, S extends z.ZodType, A = NoSubject, F extends FactName = never, R extends boolean = false> {
  type: T;
  actor: ActorRule;
  payload: (policy: PolicyVocabulary) => S;
  /** Server-side guards; every failing one is reported (422 guard-failed). */
  guards: ReadonlyArray<GuardRule<z.output<S>>>;
  /** The facts its guards read that the fact loader fetches: libs/cases must then have a loader for it. */
  facts?: readonly F[];
  /** It writes rows or case columns beyond state and history: libs/cases must then have a writer for it. */
  records?: R;
  /**
   * What the accepted event acts on, read once its guards held (the named auditor, the firing
   * auditor's seat, the deadline…), so the records it writes need no non-null assertions.
   * Null only if the guards let through what they must refuse: the step then fails.
   */
  subject?: (input: GuardInput<z.output<S>>) => A | null;
}

/** The subject of an event that acts on nothing beyond its payload. */
export type NoSubject = Record<string, never>;

export const defineEvent = <
  const T extends string,
  S extends z.ZodType,
  A = NoSubject,
  const F extends FactName = never,
  const R extends boolean = false,
>(
  definition: EventDefinition<T, S, A, F, R>,
) => definition;
