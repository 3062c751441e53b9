import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { classifyEvidence, EVIDENCE_MAX_BYTES } from '@app/evidence';
import { EvidenceRepository, type Db, type EvidenceMeta } from '@app/persistence';
import { payloadTooLarge, unsupportedMediaType, validationFailed } from '@app/problems';
import type { UserActor } from '@app/workflow';
import { DraftEditService } from './draft-edit.service.js';

export interface UploadedFile {
  buffer: Buffer;
  mimetype?: string;
  originalname?: string;
}

/** `POST /v1/cases/:id/evidence`: stores a checked file in Postgres with its SHA-256. */
@Injectable()
export class UploadEvidenceUseCase {
  constructor(
    private readonly evidence: EvidenceRepository,
    private readonly drafts: DraftEditService,
  ) {}

  /** Checks size and type before any lock is taken (413, 415). */
  static check(file: UploadedFile | undefined): { mediaType: string; sha256: string } {
    if (!file) throw validationFailed([{ path: '$.file', message: 'a multipart part named file is required' }]);
    if (file.buffer.length > EVIDENCE_MAX_BYTES) throw payloadTooLarge('evidence files are at most 25 MiB');
    const classified = classifyEvidence({ bytes: file.buffer, declaredMediaType: file.mimetype, filename: file.originalname });
    if (!classified.ok) throw unsupportedMediaType(classified.reason);
    return { mediaType: classified.mediaType, sha256: createHash('sha256').update(file.buffer).digest('hex') };
  }

  async execute(caseId: string, file: UploadedFile, checked: { mediaType: string; sha256: string }, user: UserActor, db: Db): Promise<EvidenceMeta> {
    const row = await this.drafts.lockForEdit(caseId, user, 'upload evidence', undefined, db);
    return this.evidence.insert(
      {
        caseId: row.id,
        sha256: checked.sha256,
        mediaType: checked.mediaType,
        filename: file.originalname ?? null,
        content: file.buffer,
        uploadedBy: user.id,
      },
      db,
    );
  }
}
