import { Module } from '@nestjs/common';
import { PaginationModule } from '@app/http';
import { AllowedEventsService } from './allowed-events.service.js';
import { CaseEffectsService } from './transition/case-effects.service.js';
import { CaseFactsService } from './transition/case-facts.service.js';
import { CaseRecordsService } from './transition/case-records.service.js';
import { CaseTransitionService } from './transition/case-transition.service.js';
import { PolicyPackService } from './policy-pack.service.js';
import { SubmissionService } from './transition/submission.service.js';
import { AssignableAuditorsQuery } from './queries/assignable-auditors.query.js';
import { CaseAccessService } from './queries/case-access.service.js';
import { CaseHistoryQuery } from './queries/case-history.query.js';
import { CaseReportQuery } from './queries/case-report.query.js';
import { CaseViewService } from './queries/case-view.service.js';
import { EvidenceFileQuery } from './queries/evidence-file.query.js';
import { ListCasesQuery } from './queries/list-cases.query.js';
import { CreateCaseUseCase } from './usecases/create-case.usecase.js';
import { DraftEditService } from './usecases/draft-edit.service.js';
import { PatchModelUseCase } from './usecases/patch-model.usecase.js';
import { SystemEventsUseCase } from './usecases/system-events.usecase.js';
import { UpdateAssessmentUseCase } from './usecases/update-assessment.usecase.js';
import { UploadEvidenceUseCase } from './usecases/upload-evidence.usecase.js';

/** The transition pipeline and what it shares with the use cases. */
const TRANSITION = [AllowedEventsService, CaseEffectsService, CaseFactsService, CaseRecordsService, CaseTransitionService, PolicyPackService, SubmissionService];
/** What readers see: nothing here writes. */
const QUERIES = [AssignableAuditorsQuery, CaseAccessService, CaseHistoryQuery, CaseReportQuery, CaseViewService, EvidenceFileQuery, ListCasesQuery];
const USE_CASES = [CreateCaseUseCase, DraftEditService, PatchModelUseCase, SystemEventsUseCase, UpdateAssessmentUseCase, UploadEvidenceUseCase];

const PROVIDERS = [...TRANSITION, ...QUERIES, ...USE_CASES];

/** The case use cases and queries, shared by api and worker; needs PersistenceModule and ConfigModule. */
@Module({ imports: [PaginationModule], providers: PROVIDERS, exports: PROVIDERS })
export class CasesModule {}
