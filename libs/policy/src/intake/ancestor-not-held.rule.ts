import { CaseStates } from '@app/workflow';
import type { IntakeInput, IntakeReason } from './intake-reason.js';

export const ANCESTOR_NOT_HELD = 'ancestor-not-held';

// Case states (owned by libs/workflow) in which an ancestor blocks its descendants' intake.
const BLOCKING_ANCESTOR_STATES: ReadonlySet<string> = new Set([CaseStates.held, CaseStates.revoked]);

/** No model version in the lineage has a case the regulator held or revoked. */
export const ancestorNotHeld = ({ ancestors }: Pick<IntakeInput, 'ancestors'>): IntakeReason[] =>
  ancestors
    .filter((a) => BLOCKING_ANCESTOR_STATES.has(a.state))
    .map((a) => ({
      rule: ANCESTOR_NOT_HELD,
      path: '$.model.baseModels',
      message: `${a.name}@${a.version}: base model version's case is ${a.state}`,
    }));
