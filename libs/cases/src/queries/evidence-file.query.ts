import { Injectable } from '@nestjs/common';
import { findByIdOr404 } from '@app/http';
import { EvidenceRepository } from '@app/persistence';
import type { UserActor } from '@app/workflow';
import { CaseAccessService } from './case-access.service.js';

/** One evidence file of a case the caller may read, with its content. */
@Injectable()
export class EvidenceFileQuery {
  constructor(
    private readonly access: CaseAccessService,
    private readonly evidence: EvidenceRepository,
  ) {}

  async execute(user: UserActor, caseId: string, evidenceId: string) {
    const row = await this.access.readable(user, caseId);
    return findByIdOr404(evidenceId, (id) => this.evidence.findContent(row.id, id));
  }
}
