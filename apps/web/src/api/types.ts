/**
 * Short names for the generated OpenAPI schemas (`schema.d.ts`, from `npm run client:generate`),
 * and the vocabulary the forms offer (`enums.ts`, generated from the same document).
 */
import type { ASSESSED_TIERS, COMPONENTS, GATING_APPROVALS, RELEASE_LEVELS } from './enums';
import type { components, paths } from './schema';

export * from './enums';

type Schemas = components['schemas'];

export type Me = Schemas['Me'];
export type Role = Me['role'];
export type CaseView = Schemas['CaseView'];
export type CaseState = CaseView['state'];
export type Assessment = NonNullable<CaseView['assessment']>;
export type AssessedComponent = NonNullable<Assessment['components']>[number];
export type Evaluation = NonNullable<Assessment['evaluations']>[number];
export type Finding = CaseView['findings'][number];
export type Opinion = CaseView['opinions'][number];
export type CaseSummary = Schemas['CasePage']['items'][number];
export type HistoryItem = Schemas['HistoryPage']['items'][number];
export type ChainVerification = Schemas['ChainVerification'];
export type AuditorOption = Schemas['AuditorList']['items'][number];
export type Queue = Schemas['QueueSummary'][number];
export type Workflow = Schemas['Workflow'];
export type Transition = Workflow['transitions'][number];
export type PolicyPack = Schemas['PolicyPack'];
export type EvidenceMeta = Schemas['Evidence'];
export type Stats = Schemas['Stats'];
export type RegistryRecord = Schemas['RegistryRecord'];
export type RegistryInclusionProof = Schemas['RegistryInclusionProof'];
export type PublicJwk = Schemas['PublicKeys']['keys'][number];

export type Component = AssessedComponent['component'];
export type ReleaseLevel = AssessedComponent['release'];
export type GatingApproval = NonNullable<AssessedComponent['gating']>['approval'];
export type Tier = Evaluation['tier'];
/** The document `PUT /v1/cases/{id}/assessment` takes. */
export type AssessmentBody = paths['/v1/cases/{id}/assessment']['put']['requestBody']['content']['application/json'];

// The generated lists and the generated types come from one document; the compiler checks that they agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type EnumsAgree = [
  Holds<Same<(typeof COMPONENTS)[number], Component>>,
  Holds<Same<(typeof RELEASE_LEVELS)[number], ReleaseLevel>>,
  Holds<Same<(typeof GATING_APPROVALS)[number], GatingApproval>>,
  Holds<Same<(typeof ASSESSED_TIERS)[number], Tier>>,
];

/** Suggestions only: the schema takes any non-empty criterion (SPEC: "e.g."). */
export const GATING_CRITERIA = ['institutional_email', 'kyc', 'research_agreement'] as const;

export interface Page<T> { items: T[]; nextCursor: string | null }
