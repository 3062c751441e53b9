import type { AssessmentDocument } from '../assessment/assessment.schema.js';
import type { PolicyPack } from '../pack/policy-pack.schema.js';

/** Why intake refused a revision; `message` names the component or domain it concerns. */
export type IntakeReason = { rule: string; path: string; message: string };

/** A model version in the case's lineage, with the state of its (latest) case. */
export type AncestorCase = { modelVersionId: string; name: string; version: string; state: string };

/** Everything intake screening reads. */
export type IntakeInput = { assessment: AssessmentDocument; pack: PolicyPack; ancestors: AncestorCase[] };
