/**
 * Short names for the generated OpenAPI schemas (`schema.d.ts`, from `npm run client:generate`),
 * and the vocabulary the forms offer.
 */
import type { components } from './schema';

type Schemas = components['schemas'];
export const COMPONENTS = [
  'model_architecture', 'data_preprocessing_code', 'training_code', 'inference_code', 'evaluation_code',
  'supporting_libraries', 'model_parameters', 'intermediate_parameters', 'datasets', 'evaluation_data',
  'model_metadata', 'sample_outputs', 'model_card', 'data_card', 'technical_report', 'research_paper',
  'evaluation_results',
] as const;
export type Component = (typeof COMPONENTS)[number];
export const RELEASE_LEVELS = ['withheld', 'internal', 'api', 'gated', 'restricted_download', 'open'] as const;
export type ReleaseLevel = (typeof RELEASE_LEVELS)[number];
export const ASSESSED_TIERS = ['low', 'moderate', 'high', 'critical', 'cannot_rule_out'] as const;
export const GATING_CRITERIA = ['institutional_email', 'kyc', 'research_agreement'] as const;
export const SEVERITIES = ['info', 'minor', 'major', 'critical'] as const;

export type Me = Schemas['Me'];
export type Role = Me['role'];
export type CaseView = Schemas['CaseView'];
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
export type PolicyPack = Schemas['PolicyPack'];
export type EvidenceMeta = Schemas['Evidence'];
export type Stats = Schemas['Stats'];

export interface Page<T> { items: T[]; nextCursor: string | null }
