import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { classifyEvidence, EVIDENCE_MAX_BYTES } from '@app/evidence';
import { findInvalidString } from '@app/integrity';
import { EvidenceRepository, type Db, type EvidenceMeta } from '@app/persistence';
import { payloadTooLarge, unsupportedMediaType, validationFailed } from '@app/problems';
import type { UserActor } from '@app/workflow';
import { DraftEditService } from './draft-edit.service.js';

export interface UploadedFile {
  buffer: Buffer;
  mimetype?: string;
  originalname?: string;
}

const MIB = 1024 * 1024;

/** `POST /v1/cases/:id/evidence`: stores a checked file in Postgres with its SHA-256, within the case's and the organisation's quotas. */
@Injectable()
export class UploadEvidenceUseCase {
  constructor(
    private readonly evidence: EvidenceRepository,
    private readonly drafts: DraftEditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks the part, its name, size and type before any lock is taken (400, 413, 415). */
  static check(file: UploadedFile | undefined): { mediaType: string; sha256: string } {
    if (!file) throw validationFailed([{ path: '$.file', message: 'a multipart part named file is required' }]);
    // The file name is stored as text: Postgres refuses U+0000 (a 500 if it got there).
    if (file.originalname !== undefined && findInvalidString(file.originalname) !== null)
      throw validationFailed([{ path: '$.file.filename', message: 'strings may not hold U+0000 or a lone surrogate' }]);
    if (file.buffer.length > EVIDENCE_MAX_BYTES) throw payloadTooLarge('evidence files are at most 25 MiB');
    const classified = classifyEvidence({ bytes: file.buffer, declaredMediaType: file.mimetype, filename: file.originalname });
    if (!classified.ok) throw unsupportedMediaType(classified.reason);
    return { mediaType: classified.mediaType, sha256: createHash('sha256').update(file.buffer).digest('hex') };
  }

  async execute(caseId: string, file: UploadedFile, checked: { mediaType: string; sha256: string }, user: UserActor, db: Db): Promise<EvidenceMeta> {
    // The case row stays locked until commit, so two uploads to one case are counted one after the other.
    const row = await this.drafts.lockForEdit(caseId, user, 'upload evidence', undefined, db);
    const stored = await this.evidence.insertWithinQuota(
      {
        caseId: row.id,
        organisationId: row.developerOrganisationId,
        sha256: checked.sha256,
        mediaType: checked.mediaType,
        filename: file.originalname ?? null,
        content: file.buffer,
        uploadedBy: user.id,
      },
      { maxCaseBytes: this.config.EVIDENCE_MAX_CASE_MB * MIB, maxOrganisationBytes: this.config.EVIDENCE_MAX_ORGANISATION_MB * MIB },
      db,
    );
    if ('over' in stored)
      throw payloadTooLarge(
        stored.over === 'case'
          ? `a case's evidence is at most ${this.config.EVIDENCE_MAX_CASE_MB} MiB in total`
          : `an organisation's evidence is at most ${this.config.EVIDENCE_MAX_ORGANISATION_MB} MiB in total`,
      );
    return stored;
  }
}
