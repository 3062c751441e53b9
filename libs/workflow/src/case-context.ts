import type { CaseEventType } from './event-types.js';
import type { DeadlineKind } from './deadline-kinds.js';
import type { Role } from './roles.js';
import type { CaseState } from './states.js';

/** What the pack requires for the current revision's tier, fixed when intake passes. */
export interface Requirements {
  tier: string;
  signOffs: number;
  regulatorReview: boolean;
}

export interface Assignment {
  auditorId: string;
  auditFirmId: string;
}

export interface SignOff extends Assignment {
  revisionHash: string;
}

/**
 * The machine's context: only what guards and branch conditions read.
 * Findings, opinions and documents live in their own tables.
 */
export interface CaseContext {
  developerOrganisationId: string;
  revision: number;
  revisionHash: string | null;
  submittedBy: string | null;
  submittedFrom: CaseState | null;
  requirements: Requirements | null;
  assignments: Assignment[];
  /** Auditor replacements, so a replacement may resolve its predecessor's findings. */
  replacements: Array<{ from: string; to: string }>;
  /** Auditors who left (conflict, lost independence) and whose seat the next assignment fills. */
  vacated: string[];
  signOffs: SignOff[];
  flaggedWhileReleased: boolean;
  released: boolean;
  /**
   * Findings ever raised on the case, resolved ones included: ADD_FINDING's limit reads it.
   * Absent means 0: the migration that began the count wrote it only on cases with findings.
   */
  findingCount?: number;
}

export const initialCaseContext = (developerOrganisationId: string): CaseContext => ({
  developerOrganisationId,
  revision: 0,
  revisionHash: null,
  submittedBy: null,
  submittedFrom: null,
  requirements: null,
  assignments: [],
  replacements: [],
  vacated: [],
  signOffs: [],
  flaggedWhileReleased: false,
  released: false,
});

/** Findings raised on the case so far; an absent count is 0 (CaseContext.findingCount). */
export const findingsRaised = (context: CaseContext): number => context.findingCount ?? 0;

export interface UserActor {
  id: string;
  role: Role;
  organisationId: string | null;
}

export type Actor = UserActor | 'system';

export interface CandidateAuditor {
  id: string;
  role: Role;
  organisationId: string | null;
  /** An active conflict of interest covers this auditor for the case's developer. */
  conflicted: boolean;
}

export interface FindingFacts {
  id: string;
  raisedBy: string;
  status: 'open' | 'responded' | 'resolved';
}

/**
 * Facts the transition service loads before calling the pure machine;
 * never written to the history payload.
 */
export interface EventFacts {
  actor: Actor;
  now?: string;
  /** SUBMIT, RESUBMIT: the hash of the revision the event would create. */
  revisionHash?: string;
  /** INTAKE_PASSED: requirements of the revision's tier under the pinned pack. */
  requirements?: Requirements;
  /** INTAKE_PASSED: assigned auditors who are still independent. */
  validAuditorIds?: string[];
  /** ASSIGN_AUDITOR, REASSIGN_AUDITOR: the named auditor, or null when unknown. */
  candidate?: CandidateAuditor | null;
  /** RESOLVE_FINDING, RESPOND_FINDING: the named finding, or null when unknown. */
  finding?: FindingFacts | null;
  /** APPROVE: major or critical findings not yet resolved. */
  blockingFindings?: number;
  /** APPROVE: an active conflict covers the acting auditor. */
  actorConflicted?: boolean;
  /** APPROVE: intake rule violations of the current revision against the pack. */
  policyViolations?: Array<{ rule: string; message: string }>;
  /** RECORD_RELEASE: components more open or more weakly gated than cleared. */
  releaseViolations?: Array<{ rule: string; message: string }>;
  /** DEADLINE_PASSED: the open, due deadline the event names, or null. */
  deadline?: { id: string; kind: DeadlineKind } | null;
}

export interface CaseEvent {
  type: CaseEventType;
  payload: Record<string, unknown>;
  facts: EventFacts;
}
