import { Inject, Injectable } from '@nestjs/common';
import { validateAssessmentShape } from '@app/policy';
import { parseBody } from '@app/http';
import { notFound } from '@app/problems';
import { DataSource } from 'typeorm';
import { CaseRepository, CaseStepRepository, type CaseRow, type Db, type StepRead, type StepReadNeeds } from '@app/persistence';
import type { UserActor } from '@app/workflow';
import { AllowedEventsService } from '../allowed-events.service.js';
import type { FiredEvent } from '../transition/case-transition.service.js';
import { DraftEditService } from './draft-edit.service.js';

/** Optimistic attempts before an edit takes the row lock (each loss means another write succeeded). */
const OPTIMISTIC_ATTEMPTS = 3;

/** A PUT without an Idempotency-Key: its body parsed after the read, so 404 answers before 400. */
export interface AssessmentEdit {
  caseId: string;
  user: UserActor;
  document: () => Record<string, unknown>;
  ifMatch?: number;
  reader: { needs: StepReadNeeds; mayRead: (read: StepRead) => boolean };
}

/** `PUT /v1/cases/:id/assessment`: replaces the working document after a shape check. */
@Injectable()
export class UpdateAssessmentUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly steps: CaseStepRepository,
    private readonly drafts: DraftEditService,
    private readonly allowed: AllowedEventsService,
  ) {}

  static parse(body: unknown): Record<string, unknown> {
    return parseBody<Record<string, unknown>>(validateAssessmentShape, body);
  }

  async execute(caseId: string, document: Record<string, unknown>, user: UserActor, ifMatch: number | undefined, db: Db): Promise<CaseRow> {
    const row = await this.drafts.lockForEdit(caseId, user, 'edit the assessment', ifMatch, db);
    return (await this.cases.updateReturning(row.id, row.version, { assessment: document }, db))!;
  }

  /**
   * The edit in two statements without a transaction (CaseStepRepository: the read, then the
   * version-checked UPDATE returning the view's lists), again on a lost race; after
   * OPTIMISTIC_ATTEMPTS losses, in a transaction under the row lock.
   */
  async executeUnlocked(edit: AssessmentEdit): Promise<FiredEvent> {
    for (let i = 0; i <= OPTIMISTIC_ATTEMPTS; i++) {
      const locked = i === OPTIMISTIC_ATTEMPTS;
      const attempt = (db: Db) => this.attempt(edit, db, locked);
      const done = locked ? await this.dataSource.transaction(attempt) : await attempt(this.dataSource);
      if (done) return done;
    }
    throw new Error('unreachable: the locked attempt cannot lose its race');
  }

  private async attempt(edit: AssessmentEdit, db: Db, lock: boolean): Promise<FiredEvent | null> {
    const read = await this.steps.read(edit.caseId, edit.reader.needs, lock, db);
    if (!read || !edit.reader.mayRead(read)) throw notFound();
    const document = edit.document();
    await this.drafts.checkEdit(read.row, edit.user, 'edit the assessment', edit.ifMatch, () => this.allowed.fromReads(read.row, edit.user, read.reads, db));
    const written = await this.steps.write(read.row, { assessment: document }, null, [], [], db, { model: read.reads.model });
    return written && { row: written.row, relations: written.relations, reads: read.reads };
  }
}
