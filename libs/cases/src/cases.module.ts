import { Module } from '@nestjs/common';
import { PaginationModule } from '@app/http';
import { RegistryModule } from '@app/registry';
import { AllowedEventsService } from './allowed-events.service.js';
import { CaseEffectsService } from './transition/case-effects.service.js';
import { CaseFactsService } from './transition/case-facts.service.js';
import { CaseRecordsService } from './transition/case-records.service.js';
import { CaseTransitionService } from './transition/case-transition.service.js';
import { CaseRecordService } from './transition/case-record.service.js';
import { CaseStepWriter } from './transition/case-step-writer.service.js';
import { CloseIncidentUseCase } from './incidents/close-incident.usecase.js';
import { EscalateIncidentDeadlineUseCase } from './incidents/escalate-incident-deadline.usecase.js';
import { IncidentAccessService } from './incidents/incident-access.service.js';
import { IncidentsQuery } from './incidents/incidents.query.js';
import { ReportIncidentUseCase } from './incidents/report-incident.usecase.js';
import { UpdateIncidentUseCase } from './incidents/update-incident.usecase.js';
import { PolicyPackService } from './policy-pack.service.js';
import { AddRedactionUseCase } from './redactions/add-redaction.usecase.js';
import { RedactionsQuery } from './redactions/redactions.query.js';
import { SubmissionService } from './transition/submission.service.js';
import { AssignableAuditorsQuery } from './queries/assignable-auditors.query.js';
import { CaseAccessService } from './queries/case-access.service.js';
import { CaseHistoryQuery } from './queries/case-history.query.js';
import { CaseHistoryProofQuery } from './queries/case-history-proof.query.js';
import { CaseReportQuery } from './queries/case-report.query.js';
import { CaseViewService } from './queries/case-view.service.js';
import { EvidenceFileQuery } from './queries/evidence-file.query.js';
import { ListCasesQuery } from './queries/list-cases.query.js';
import { ReadSummariesService } from './queries/read-summaries.service.js';
import { CreateCaseUseCase } from './usecases/create-case.usecase.js';
import { DraftEditService } from './usecases/draft-edit.service.js';
import { ImportModelLineageUseCase } from './usecases/import-model-lineage.usecase.js';
import { PatchModelUseCase } from './usecases/patch-model.usecase.js';
import { LineageQuery } from './lineage/lineage.query.js';
import { SystemEventsUseCase } from './usecases/system-events.usecase.js';
import { UpdateAssessmentUseCase } from './usecases/update-assessment.usecase.js';
import { UploadEvidenceUseCase } from './usecases/upload-evidence.usecase.js';

/** The transition pipeline and what it shares with the use cases. */
const TRANSITION = [
  AllowedEventsService,
  CaseEffectsService,
  CaseFactsService,
  CaseRecordService,
  CaseRecordsService,
  CaseStepWriter,
  CaseTransitionService,
  PolicyPackService,
  SubmissionService,
];
/** Incidents after release: written through CaseRecordService, beside the machine. */
const INCIDENTS = [CloseIncidentUseCase, EscalateIncidentDeadlineUseCase, IncidentAccessService, IncidentsQuery, ReportIncidentUseCase, UpdateIncidentUseCase];
/** What readers see: nothing here writes. */
const QUERIES = [AssignableAuditorsQuery, CaseAccessService, CaseHistoryQuery, CaseHistoryProofQuery, CaseReportQuery, CaseViewService, EvidenceFileQuery, LineageQuery, ListCasesQuery, ReadSummariesService];
const USE_CASES = [
  CreateCaseUseCase,
  DraftEditService,
  ImportModelLineageUseCase,
  PatchModelUseCase,
  SystemEventsUseCase,
  UpdateAssessmentUseCase,
  UploadEvidenceUseCase,
];

/** Redactions of public records: written through CaseRecordService too. */
const REDACTIONS = [AddRedactionUseCase, RedactionsQuery];

const PROVIDERS = [...TRANSITION, ...QUERIES, ...USE_CASES, ...INCIDENTS, ...REDACTIONS];

/** The case use cases and queries, shared by api and worker; needs PersistenceModule and ConfigModule. */
@Module({ imports: [PaginationModule, RegistryModule], providers: PROVIDERS, exports: PROVIDERS })
export class CasesModule {}
