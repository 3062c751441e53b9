import { Injectable } from '@nestjs/common';
import { screenIntake, tierRequirements, weightsWithinTier, clearedEnvelope, checkRecordRelease, type AssessmentDocument, type AssessedTier, type RecordedComponent, type ReleaseCondition } from '@app/policy';
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
import { CaseEvents, Roles, type Actor, type CaseEventType, type EventFacts } from '@app/workflow';
import { PolicyPackService } from '../policy-pack.service.js';

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

  async forEvent(
    row: CaseRow,
    actor: Actor,
    type: CaseEventType,
    payload: Record<string, unknown>,
    db: Db,
  ): Promise<EventFacts> {
    const facts: EventFacts = { actor };
    switch (type) {
      case CaseEvents.INTAKE_PASSED: {
        const pack = await this.packs.get(row.policyPackId, row.policyPackVersion, db);
        const tier = (row.tier ?? pack.cannotRuleOutCountsAs) as AssessedTier;
        facts.requirements = { tier, ...pickRequirements(tierRequirements(pack, tier)) };
        const assigned = row.context.assignments.map((a) => a.auditorId);
        const conflicted = await this.conflicts.conflictedAuditors(row.developerOrganisationId, assigned, db);
        facts.validAuditorIds = assigned.filter((id) => !conflicted.has(id));
        break;
      }
      case CaseEvents.ASSIGN_AUDITOR:
      case CaseEvents.REASSIGN_AUDITOR: {
        const candidateId = String(type === CaseEvents.ASSIGN_AUDITOR ? payload.auditorId : payload.toAuditorId);
        const user = await this.users.findById(candidateId, db);
        const conflicted = user
          ? await this.conflicts.conflictedAuditors(row.developerOrganisationId, [user.id], db)
          : new Set<string>();
        facts.candidate = user
          ? { id: user.id, role: user.role, organisationId: user.organisationId, conflicted: conflicted.has(user.id) }
          : null;
        break;
      }
      case CaseEvents.RESOLVE_FINDING:
      case CaseEvents.RESPOND_FINDING: {
        const finding = await this.findings.find(row.id, String(payload.findingId), db);
        facts.finding = finding ? { id: finding.id, raisedBy: finding.raisedBy, status: finding.status } : null;
        break;
      }
      case CaseEvents.APPROVE:
        Object.assign(facts, await this.forApproval(row, actor, db));
        break;
      case CaseEvents.RECORD_RELEASE: {
        const live = await this.opinions.list(row.id, db);
        const conditions = live
          .filter((o) => o.revisionHash === row.revisionHash)
          .flatMap((o) => o.conditions) as ReleaseCondition[];
        const model = await this.models.findById(row.modelVersionId, db);
        facts.releaseViolations = checkRecordRelease({
          envelope: clearedEnvelope(row.assessment as AssessmentDocument, conditions),
          components: payload.components as RecordedComponent[],
          checkpointSha256: model?.checkpointSha256 ?? null,
        });
        break;
      }
      case CaseEvents.DEADLINE_PASSED: {
        const deadline = await this.deadlines.findFirable(row.id, String(payload.deadlineId), db);
        facts.deadline = deadline ? { id: deadline.id, kind: deadline.kind } : null;
        break;
      }
      default:
        break;
    }
    return facts;
  }

  /** Facts for APPROVE, also used to judge allowedEvents without a payload. */
  async forApproval(row: CaseRow, actor: Actor, db: Db): Promise<Partial<EventFacts>> {
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
