import { Module } from '@nestjs/common';
import { AllowedEventsService } from './allowed-events.service.js';
import { CaseAccessService } from './case-access.service.js';
import { CaseEffectsService } from './transition/case-effects.service.js';
import { CaseFactsService } from './transition/case-facts.service.js';
import { CaseRecordsService } from './transition/case-records.service.js';
import { CaseTransitionService } from './transition/case-transition.service.js';
import { CaseViewService } from './case-view.service.js';
import { DraftEditService } from './draft-edit.service.js';
import { PolicyPackService } from './policy-pack.service.js';
import { RegistryPublisherService } from './registry/registry-publisher.service.js';
import { SubmissionService } from './transition/submission.service.js';
import { CreateCaseUseCase } from './usecases/create-case.usecase.js';
import { ListCasesUseCase } from './usecases/list-cases.usecase.js';
import { PatchModelUseCase } from './usecases/patch-model.usecase.js';
import { SystemEventsUseCase } from './usecases/system-events.usecase.js';
import { UpdateAssessmentUseCase } from './usecases/update-assessment.usecase.js';
import { UploadEvidenceUseCase } from './usecases/upload-evidence.usecase.js';

const PROVIDERS = [
  AllowedEventsService,
  CaseAccessService,
  CaseEffectsService,
  CaseFactsService,
  CaseRecordsService,
  CaseTransitionService,
  CaseViewService,
  DraftEditService,
  PolicyPackService,
  RegistryPublisherService,
  SubmissionService,
  CreateCaseUseCase,
  ListCasesUseCase,
  PatchModelUseCase,
  SystemEventsUseCase,
  UpdateAssessmentUseCase,
  UploadEvidenceUseCase,
];

/** The case use cases, shared by api and worker; needs PersistenceModule and ConfigModule. */
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class CasesModule {}
