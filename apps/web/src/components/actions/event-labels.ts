import type { EventType } from '../../api/client';
import { words } from '../format';

/** Button labels for the events people fire; the compiler checks that every such event has one. */
export const EVENT_LABELS: Record<EventType, string> = {
  SUBMIT: 'Submit for intake',
  RESUBMIT: 'Resubmit',
  AMEND: 'Amend',
  WITHDRAW: 'Withdraw',
  ASSIGN_AUDITOR: 'Assign auditor',
  REASSIGN_AUDITOR: 'Reassign auditor',
  DECLARE_CONFLICT: 'Declare conflict',
  ADD_FINDING: 'Add finding',
  RESOLVE_FINDING: 'Resolve finding',
  RESPOND_FINDING: 'Respond to finding',
  REQUEST_INFO: 'Request information',
  PROVIDE_INFO: 'Provide information',
  REQUEST_CHANGES: 'Request changes',
  APPROVE: 'Sign off',
  FLAG: 'Flag',
  CLEAR: 'Clear',
  REQUIRE_CHANGES: 'Require changes',
  HOLD: 'Hold',
  RECORD_RELEASE: 'Record release',
  REQUIRE_REASSESSMENT: 'Require reassessment',
  REVOKE: 'Revoke',
};

/** Whether people fire `type` (system events never reach `allowedEvents`, but the type allows them). */
export const isPersonEvent = (type: string): type is EventType => Object.hasOwn(EVENT_LABELS, type);

export const labelOf = (type: string): string => (isPersonEvent(type) ? EVENT_LABELS[type] : words(type));
