import { Injectable } from '@nestjs/common';
import { HeadsProofQuery, type HistoryProof } from '@app/registry';
import type { UserActor } from '@app/workflow';
import { CaseAccessService } from './case-access.service.js';

/** `GET /v1/cases/:id/history/proof`: the case's readers only (404 for anyone else, as on every case route). */
@Injectable()
export class CaseHistoryProofQuery {
  constructor(
    private readonly access: CaseAccessService,
    private readonly heads: HeadsProofQuery,
  ) {}

  async execute(user: UserActor, caseId: string): Promise<HistoryProof> {
    const row = await this.access.readable(user, caseId);
    return this.heads.proof(row.id);
  }
}
