import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CaseViewRepository,
  ModelVersionRepository,
  OrganisationRepository,
  UserRepository,
  dbNow,
  iso,
  type BaseModelRef,
} from '@app/persistence';
import { COMPONENTS } from '@app/policy';
import type { CaseReport } from '@app/reports';
import type { UserActor } from '@app/workflow';
import { CaseAccessService } from './case-access.service.js';

type Gating = { criteria?: string[]; approval?: string };
type AssessmentParts = {
  components?: Array<{ component?: string; release?: string; gating?: Gating }>;
  evaluations?: Array<{ domain?: string; method?: string; tier?: string; summary?: string }>;
  safeguards?: Array<{ kind?: string; description?: string; residualRisk?: string }>;
  rationale?: string;
};

const gatingText = (gating: Gating | undefined): string | null =>
  gating ? [gating.criteria?.join(', '), gating.approval && `${gating.approval} approval`].filter(Boolean).join('; ') : null;

/** What `GET /v1/cases/:id/report.pdf` shows: the case as its readers see it, with names instead of ids. */
@Injectable()
export class CaseReportQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly relations: CaseViewRepository,
    private readonly models: ModelVersionRepository,
    private readonly organisations: OrganisationRepository,
    private readonly users: UserRepository,
  ) {}

  /** 404 unless the caller reads the case. `verifyUrl` is where its history's check answers. */
  async execute(user: UserActor, caseId: string, baseUrl: string): Promise<CaseReport> {
    const row = await this.access.readable(user, caseId);
    const { model, findings, opinions, deadlines } = await this.relations.relations(row.id, row.modelVersionId);
    const assessment = row.assessment as AssessmentParts;
    const listed = new Map((assessment.components ?? []).map((c) => [c.component, c]));
    const developer = await this.organisations.findById(row.developerOrganisationId);

    return {
      generatedAt: await dbNow(this.dataSource),
      caseId: row.id,
      state: row.state,
      tier: row.tier,
      revision: row.revision,
      revisionHash: row.revisionHash,
      releasedAt: iso(row.releasedAt),
      createdAt: iso(row.createdAt)!,
      policyPack: `${row.policyPackId}@${row.policyPackVersion}`,
      workflowVersion: row.workflowVersion,
      developerOrganisation: developer?.name ?? row.developerOrganisationId,
      model: {
        name: model?.name ?? '',
        version: model?.version ?? '',
        checkpointSha256: model?.checkpointSha256 ?? null,
        baseModels: await Promise.all((model?.baseModels ?? []).map((base) => this.describeBase(base))),
      },
      components: COMPONENTS.map((component) => {
        const entry = listed.get(component);
        return { component, release: entry?.release ?? 'withheld', gating: gatingText(entry?.gating) };
      }),
      evaluations: [...(assessment.evaluations ?? [])]
        .map((e) => ({ domain: e.domain ?? '', method: e.method ?? '', tier: e.tier ?? '', summary: e.summary ?? '' }))
        .sort((a, b) => a.domain.localeCompare(b.domain)),
      safeguards: (assessment.safeguards ?? []).map((s) => ({ kind: s.kind ?? '', description: s.description ?? '', residualRisk: s.residualRisk ?? '' })),
      rationale: assessment.rationale ?? null,
      findings: findings.map((f) => ({
        severity: f.severity,
        title: f.title,
        status: f.status,
        concerns: [f.component, f.domain].filter(Boolean).join(', ') || null,
        revision: f.revision,
        detail: f.detail,
        response: f.response,
        resolutionNote: f.resolutionNote,
      })),
      opinions: await Promise.all(
        opinions.map(async (o) => ({
          auditor: await this.describeAuditor(o.auditorId),
          kind: o.kind,
          assurance: o.assurance,
          issuedAt: iso(o.issuedAt)!,
          revisionHash: o.revisionHash,
          basis: o.basis,
          conditions: o.conditions.map((c) => [c.text, c.component && `component: ${c.component}`, c.maxRelease && `at most ${c.maxRelease}`].filter(Boolean).join('; ')),
        })),
      ),
      deadlines: deadlines.map((d) => ({ kind: d.kind, dueAt: iso(d.dueAt)!, pausedAt: iso(d.pausedAt), escalatedAt: iso(d.escalatedAt) })),
      history: { length: row.lastSeq, headHash: row.headHash, verifyUrl: `${baseUrl}/v1/cases/${row.id}/history/verify` },
    };
  }

  private async describeBase(base: BaseModelRef): Promise<string> {
    const suffix = base.relation ? ` (${base.relation})` : '';
    if ('external' in base) return `${base.external.name} from ${base.external.origin}${base.external.sha256 ? `, SHA-256 ${base.external.sha256}` : ''}${suffix}`;
    const found = await this.models.findById(base.modelVersionId);
    return `${found ? `${found.name} ${found.version}` : 'model version'} (Clearance ${base.modelVersionId})${suffix}`;
  }

  private async describeAuditor(auditorId: string): Promise<string> {
    const auditor = await this.users.findById(auditorId);
    if (!auditor) return auditorId;
    const firm = auditor.organisationId ? await this.organisations.findById(auditor.organisationId) : null;
    return firm ? `${auditor.displayName} (${firm.name})` : auditor.displayName;
  }
}
