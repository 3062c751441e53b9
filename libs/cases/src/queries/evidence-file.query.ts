import { Injectable } from '@nestjs/common';
import { findByIdOr404 } from '@app/http';
import { EvidenceRepository, type CaseRow } from '@app/persistence';

/** One evidence file, with its content, of a case the caller may read (CaseAccessService.readable). */
@Injectable()
export class EvidenceFileQuery {
  constructor(private readonly evidence: EvidenceRepository) {}

  async execute(readable: CaseRow, evidenceId: string) {
    return findByIdOr404(evidenceId, (id) => this.evidence.findContent(readable.id, id));
  }
}
