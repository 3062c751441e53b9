import { Injectable } from '@nestjs/common';
import { servedMediaType } from '@app/evidence';
import { findByIdOr404 } from '@app/http';
import { EvidenceRepository, type CaseRow } from '@app/persistence';

/** One evidence file, with its content, of a case the caller may read (CaseAccessService.readable). */
@Injectable()
export class EvidenceFileQuery {
  constructor(private readonly evidence: EvidenceRepository) {}

  /** The file, with the media type it is served as (always as an attachment, with nosniff). */
  async execute(readable: CaseRow, evidenceId: string) {
    const file = await findByIdOr404(evidenceId, (id) => this.evidence.findContent(readable.id, id));
    return { ...file, mediaType: servedMediaType(file.mediaType) };
  }
}
