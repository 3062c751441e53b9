import { Injectable } from '@nestjs/common';
import { screenIntake, tierRequirements, weightsWithinTier, clearedEnvelope, checkRecordRelease, type AssessmentDocument, type AssessedTier, type ReleaseCondition } from '@app/policy';
import {
  ConflictRepository,
  FindingRepository,
  ModelVersionRepository,
  type CaseRow,
  type Db,
  type StepReadNeeds,
  type StepReads,
} from '@app/persistence';
import {
  Roles,
  type Actor,
  type CandidateAuditor,
  type CaseEventType,
  type DeadlineKind,
  type EventFactNames,
  type EventFacts,
  type EventPayload,
  type EventsLoadingFacts,
} from '@app/workflow';
import { PolicyPackService } from '../policy-pack.service.js';

/** One event's facts: what it reads beside the case row (`needs`), then the facts from those reads. */
interface FactLoader<E extends CaseEventType> {
  needs: (input: { actor: Actor; payload: EventPayload<E> }) => StepReadNeeds;
  load: (input: { row: CaseRow; actor: Actor; payload: EventPayload<E>; reads: StepReads }, db: Db) => Promise<Pick<EventFacts, EventFactNames<E>>>;
}

/** What the pure guards need to know, for one event on one case, from the step's one read (CaseStepRepository.read). */
@Injectable()
export class CaseFactsService {
  constructor(
    private readonly conflicts: ConflictRepository,
    private readonly findings: FindingRepository,
    private readonly models: ModelVersionRepository,
    private readonly packs: PolicyPackService,
  ) {}

  /**
   * What each event's guards need beyond context and payload, for exactly the events whose catalog
   * entry declares `facts`: the compiler refuses one missing, or one for an event that declares none.
   * `db` serves only a policy pack not yet cached (published packs never change).
   */
  private readonly loaders: { readonly [E in CaseEventType]?: FactLoader<E> } = {
    INTAKE_PASSED: {
      needs: () => ({ conflictedAssigned: true }),
      load: async ({ row, reads }, db) => {
        const pack = await this.packs.get(row.policyPackId, row.policyPackVersion, db);
        const tier = (row.tier ?? pack.cannotRuleOutCountsAs) as AssessedTier;
        const conflicted = new Set(reads.conflicted);
        return {
          requirements: { tier, ...pickRequirements(tierRequirements(pack, tier)) },
          validAuditorIds: row.context.assignments.map((a) => a.auditorId).filter((id) => !conflicted.has(id)),
        };
      },
    },
    ASSIGN_AUDITOR: {
      needs: ({ payload }) => ({ user: payload.auditorId, conflictedOf: [payload.auditorId] }),
      load: async ({ reads }) => ({ candidate: candidateOf(reads) }),
    },
    REASSIGN_AUDITOR: {
      needs: ({ payload }) => ({ user: payload.toAuditorId, conflictedOf: [payload.toAuditorId] }),
      load: async ({ reads }) => ({ candidate: candidateOf(reads) }),
    },
    RESOLVE_FINDING: { needs: ({ payload }) => ({ finding: payload.findingId }), load: async ({ reads }) => ({ finding: reads.finding }) },
    RESPOND_FINDING: { needs: ({ payload }) => ({ finding: payload.findingId }), load: async ({ reads }) => ({ finding: reads.finding }) },
    APPROVE: {
      needs: ({ actor }) => approvalNeeds(actor),
      load: async ({ row, actor, reads }, db) => this.approvalFrom(row, actor, reads, db),
    },
    RECORD_RELEASE: {
      needs: () => ({ liveOpinions: true }),
      load: async ({ row, payload, reads }) => {
        const conditions = reads.liveOpinions
          .filter((o) => o.revisionHash === row.revisionHash)
          .flatMap((o) => o.conditions) as ReleaseCondition[];
        return {
          releaseViolations: checkRecordRelease({
            envelope: clearedEnvelope(row.assessment as AssessmentDocument, conditions),
            components: payload.components,
            checkpointSha256: reads.model?.checkpointSha256 ?? null,
          }),
        };
      },
    },
    DEADLINE_PASSED: {
      needs: ({ payload }) => ({ firableDeadline: payload.deadlineId }),
      load: async ({ reads }) => ({ deadline: reads.firableDeadline as { id: string; kind: DeadlineKind } | null }),
    },
  } satisfies { readonly [E in EventsLoadingFacts]: FactLoader<E> };

  /** What the step's read must fetch for this event's guards, and for APPROVE in a refusal's allowedEvents. */
  needsOf<E extends CaseEventType>(actor: Actor, type: E, payload: EventPayload<E>): StepReadNeeds {
    const loader: FactLoader<E> | undefined = this.loaders[type];
    const own = loader?.needs({ actor, payload }) ?? {};
    const approval = approvalNeeds(actor);
    return { ...approval, ...own, conflictedOf: [...new Set([...(approval.conflictedOf ?? []), ...(own.conflictedOf ?? [])])] };
  }

  async forEvent<E extends CaseEventType>(row: CaseRow, actor: Actor, type: E, payload: EventPayload<E>, reads: StepReads, db: Db): Promise<EventFacts> {
    const loader: FactLoader<E> | undefined = this.loaders[type];
    return loader ? { actor, ...(await loader.load({ row, actor, payload, reads }, db)) } : { actor };
  }

  /** APPROVE's facts from a step's read that fetched `needsOf` (any event: approval's needs are always in). */
  async approvalFrom(row: CaseRow, actor: Actor, reads: StepReads, db: Db): Promise<Pick<EventFacts, EventFactNames<'APPROVE'>>> {
    if (actor === 'system' || actor.role !== Roles.auditor) return {};
    const pack = await this.packs.get(row.policyPackId, row.policyPackVersion, db);
    return {
      blockingFindings: reads.blockingFindings,
      actorConflicted: reads.conflicted.includes(actor.id),
      policyViolations: weightsWithinTier({ assessment: row.assessment as AssessmentDocument, pack }),
    };
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

/** What APPROVE's guards read: only an auditor may approve. */
const approvalNeeds = (actor: Actor): StepReadNeeds =>
  actor !== 'system' && actor.role === Roles.auditor ? { conflictedOf: [actor.id], blockingFindings: true } : {};

const candidateOf = (reads: StepReads): CandidateAuditor | null =>
  reads.user && { id: reads.user.id, role: reads.user.role, organisationId: reads.user.organisationId, conflicted: reads.conflicted.includes(reads.user.id) };

const pickRequirements = (r: { signOffs: number; regulatorReview: boolean }) => ({
  signOffs: r.signOffs,
  regulatorReview: r.regulatorReview,
});
