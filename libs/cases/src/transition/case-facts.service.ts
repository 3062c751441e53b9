import { Injectable } from '@nestjs/common';
import { screenIntake, tierRequirements, weightsWithinTier, clearedEnvelope, checkRecordRelease, type AssessmentDocument, type AssessedTier, type ReleaseCondition } from '@app/policy';
import {
  ConflictRepository,
  DeadlineRepository,
  FindingRepository,
  ModelVersionRepository,
  OpinionRepository,
  UserRepository,
  type CaseRow,
  type Db,
} from '@app/persistence';
import {
  Roles,
  type Actor,
  type CandidateAuditor,
  type CaseEventType,
  type EventFactNames,
  type EventFacts,
  type EventPayload,
  type EventsLoadingFacts,
  type FindingFacts,
} from '@app/workflow';
import { PolicyPackService } from '../policy-pack.service.js';

/** Loads one event's facts from its validated payload, on the locked case. */
type FactLoader<E extends CaseEventType> = (
  input: { row: CaseRow; actor: Actor; payload: EventPayload<E> },
  db: Db,
) => Promise<Pick<EventFacts, EventFactNames<E>>>;

/** Loads what the pure guards need to know, for one event on one locked case. */
@Injectable()
export class CaseFactsService {
  constructor(
    private readonly users: UserRepository,
    private readonly conflicts: ConflictRepository,
    private readonly findings: FindingRepository,
    private readonly opinions: OpinionRepository,
    private readonly deadlines: DeadlineRepository,
    private readonly models: ModelVersionRepository,
    private readonly packs: PolicyPackService,
  ) {}

  /**
   * What each event's guards need beyond context and payload, for exactly the events whose catalog
   * entry declares `facts`: the compiler refuses one missing, or one for an event that declares none.
   */
  private readonly loaders: { readonly [E in CaseEventType]?: FactLoader<E> } = {
    INTAKE_PASSED: async ({ row }, db) => {
      const pack = await this.packs.get(row.policyPackId, row.policyPackVersion, db);
      const tier = (row.tier ?? pack.cannotRuleOutCountsAs) as AssessedTier;
      const assigned = row.context.assignments.map((a) => a.auditorId);
      const conflicted = await this.conflicts.conflictedAuditors(row.developerOrganisationId, assigned, db);
      return {
        requirements: { tier, ...pickRequirements(tierRequirements(pack, tier)) },
        validAuditorIds: assigned.filter((id) => !conflicted.has(id)),
      };
    },
    ASSIGN_AUDITOR: async ({ row, payload }, db) => ({ candidate: await this.candidate(row, payload.auditorId, db) }),
    REASSIGN_AUDITOR: async ({ row, payload }, db) => ({ candidate: await this.candidate(row, payload.toAuditorId, db) }),
    RESOLVE_FINDING: async ({ row, payload }, db) => ({ finding: await this.finding(row, payload.findingId, db) }),
    RESPOND_FINDING: async ({ row, payload }, db) => ({ finding: await this.finding(row, payload.findingId, db) }),
    APPROVE: async ({ row, actor }, db) => this.forApproval(row, actor, db),
    RECORD_RELEASE: async ({ row, payload }, db) => {
      const live = await this.opinions.list(row.id, db);
      const conditions = live
        .filter((o) => o.revisionHash === row.revisionHash)
        .flatMap((o) => o.conditions) as ReleaseCondition[];
      const model = await this.models.findById(row.modelVersionId, db);
      return {
        releaseViolations: checkRecordRelease({
          envelope: clearedEnvelope(row.assessment as AssessmentDocument, conditions),
          components: payload.components,
          checkpointSha256: model?.checkpointSha256 ?? null,
        }),
      };
    },
    DEADLINE_PASSED: async ({ row, payload }, db) => {
      const deadline = await this.deadlines.findFirable(row.id, payload.deadlineId, db);
      return { deadline: deadline ? { id: deadline.id, kind: deadline.kind } : null };
    },
  } satisfies { readonly [E in EventsLoadingFacts]: FactLoader<E> };

  async forEvent<E extends CaseEventType>(row: CaseRow, actor: Actor, type: E, payload: EventPayload<E>, db: Db): Promise<EventFacts> {
    const load: FactLoader<E> | undefined = this.loaders[type];
    return load ? { actor, ...(await load({ row, actor, payload }, db)) } : { actor };
  }

  /** The named auditor of ASSIGN_AUDITOR or REASSIGN_AUDITOR, or null when unknown. */
  private async candidate(row: CaseRow, userId: string, db: Db): Promise<CandidateAuditor | null> {
    const user = await this.users.findById(userId, db);
    if (!user) return null;
    const conflicted = await this.conflicts.conflictedAuditors(row.developerOrganisationId, [user.id], db);
    return { id: user.id, role: user.role, organisationId: user.organisationId, conflicted: conflicted.has(user.id) };
  }

  private async finding(row: CaseRow, findingId: string, db: Db): Promise<FindingFacts | null> {
    const finding = await this.findings.find(row.id, findingId, db);
    return finding ? { id: finding.id, raisedBy: finding.raisedBy, status: finding.status } : null;
  }

  /** Facts for APPROVE, also used to judge allowedEvents without a payload. */
  async forApproval(row: CaseRow, actor: Actor, db: Db): Promise<Pick<EventFacts, EventFactNames<'APPROVE'>>> {
    if (actor === 'system' || actor.role !== Roles.auditor) return {};
    const pack = await this.packs.get(row.policyPackId, row.policyPackVersion, db);
    const conflicted = await this.conflicts.conflictedAuditors(row.developerOrganisationId, [actor.id], db);
    return {
      blockingFindings: await this.findings.countBlocking(row.id, db),
      actorConflicted: conflicted.has(actor.id),
      policyViolations: weightsWithinTier({ assessment: row.assessment as AssessmentDocument, pack }),
    };
  }

  /** Intake screening of the current revision against the pinned pack. */
  async screen(row: CaseRow, db: Db) {
    const pack = await this.packs.get(row.policyPackId, row.policyPackVersion, db);
    const ancestors = await this.models.ancestorsWithState(row.modelVersionId, db);
    return screenIntake({ assessment: row.assessment as AssessmentDocument, pack, ancestors });
  }
}

const pickRequirements = (r: { signOffs: number; regulatorReview: boolean }) => ({
  signOffs: r.signOffs,
  regulatorReview: r.regulatorReview,
});
