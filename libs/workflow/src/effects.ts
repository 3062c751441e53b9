import type { DeadlineKind } from './deadline-kinds.js';

/** What a step asks the outside world to do; stored in the outbox in the step's transaction. */
export type Effect =
  | { type: 'openDeadline'; kind: DeadlineKind }
  | { type: 'closeDeadline'; kind: DeadlineKind }
  | { type: 'pauseDeadline'; kind: DeadlineKind }
  | { type: 'resumeDeadline'; kind: DeadlineKind }
  | { type: 'escalateDeadline' }
  | { type: 'requestIntake' };

const EFFECT_TYPES: ReadonlySet<string> = new Set([
  'openDeadline',
  'closeDeadline',
  'pauseDeadline',
  'resumeDeadline',
  'escalateDeadline',
  'requestIntake',
]);

/** Keeps the machine's effect actions (not xstate's own), dropping a resume that a close of the same deadline follows. */
export const effectsFromActions = (actions: ReadonlyArray<{ type: string; params?: unknown }>): Effect[] => {
  const effects = actions
    .filter((action) => EFFECT_TYPES.has(action.type))
    .map((action) => ({ type: action.type, ...((action.params as object | undefined) ?? {}) }) as Effect);
  return effects.filter(
    (effect, i) =>
      effect.type !== 'resumeDeadline' ||
      !effects.slice(i + 1).some((later) => later.type === 'closeDeadline' && later.kind === effect.kind),
  );
};
