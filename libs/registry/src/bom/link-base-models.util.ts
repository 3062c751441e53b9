import type { BaseModelRef } from '@app/persistence';
import type { BaseModelRelation } from '@app/policy';
import type { FieldProblem } from '@app/problems';
import type { BaseModelClaim, LineageReading } from './base-model-claim.js';

/** A model version in Clearance an imported base model may name. */
export interface ModelVersionCandidate {
  id: string;
  name: string;
  version: string;
  checkpointSha256: string | null;
}

// The limits of an external base model in `PATCH /v1/cases/:id/model`.
const MAX_NAME = 300;
const MAX_ORIGIN = 2000;

const only = <T>(items: readonly T[]): T | undefined => (items.length === 1 ? items[0] : undefined);

/**
 * The model version a claim names, if exactly one does: a Hub id by name alone; otherwise by
 * SHA-256, then by name and version.
 */
export const matchModelVersion = (claim: BaseModelClaim, candidates: readonly ModelVersionCandidate[]): ModelVersionCandidate | undefined => {
  if (claim.hubId) return only(candidates.filter((c) => c.name === claim.name));
  return (
    (claim.sha256 ? only(candidates.filter((c) => c.checkpointSha256 === claim.sha256)) : undefined) ??
    (claim.version !== undefined ? only(candidates.filter((c) => c.name === claim.name && c.version === claim.version)) : undefined)
  );
};

const withRelation = <T extends object>(link: T, relation: BaseModelRelation | undefined) => (relation ? { ...link, relation } : link);

/**
 * `model.baseModels` from a reading: a claim matching one model version links to it, the others stay
 * external (named `name@version` when a version is given). Problems: the document names the case's
 * own model version, or gives the model a SHA-256 other than its recorded checkpoint.
 */
export const linkBaseModels = (
  reading: Extract<LineageReading, { ok: true }>,
  candidates: readonly ModelVersionCandidate[],
  self: { id: string; checkpointSha256: string | null },
): { ok: true; baseModels: BaseModelRef[] } | { ok: false; problems: FieldProblem[] } => {
  const problems: FieldProblem[] = [];
  if (reading.model.sha256 && self.checkpointSha256 && reading.model.sha256 !== self.checkpointSha256)
    problems.push({ path: `${reading.model.path}.hashes`, message: 'the SHA-256 differs from the case\'s recorded checkpointSha256: this BOM describes another model' });
  const baseModels = reading.claims.map((claim): BaseModelRef => {
    const match = matchModelVersion(claim, candidates);
    if (match?.id === self.id) problems.push({ path: claim.path, message: 'names the case\'s own model version: a model version cannot descend from itself' });
    if (match) return withRelation({ modelVersionId: match.id }, claim.relation);
    const name = claim.version !== undefined ? `${claim.name}@${claim.version}` : claim.name;
    if (name.length > MAX_NAME) problems.push({ path: `${claim.path}.name`, message: `a base model's name (with its version) has at most ${MAX_NAME} characters` });
    if (claim.origin.length > MAX_ORIGIN) problems.push({ path: claim.path, message: `a base model's origin (purl or URL) has at most ${MAX_ORIGIN} characters` });
    const external = { name, origin: claim.origin, ...(claim.sha256 ? { sha256: claim.sha256 } : {}) };
    return withRelation({ external }, claim.relation);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, baseModels };
};
