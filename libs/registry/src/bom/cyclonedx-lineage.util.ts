import type { FieldProblem } from '@app/problems';
import { BASE_MODEL_RELATIONS, toJsonPath } from '@app/policy';
import { MAX_BASE_MODELS, isBaseModelRelation, uniqueProblems, type BaseModelClaim, type LineageReading } from './base-model-claim.js';
import { CYCLONEDX_VERSIONS, validateCycloneDx, type CycloneDxVersion } from './cyclonedx-validator.js';

/** The component property that carries a base model's relation, on import and export. */
export const RELATION_PROPERTY = 'clearance:relation';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

const COMPONENT = ['metadata', 'component'];
const ANCESTORS = [...COMPONENT, 'pedigree', 'ancestors'];

/** The component's SHA-256 in lowercase hex, or a problem when it names one that is not 64 hex digits. */
const sha256Of = (component: Json, at: Array<string | number>, problems: FieldProblem[]): string | undefined => {
  for (const [i, hash] of list(component.hashes).entries()) {
    if (!isObject(hash) || hash.alg !== 'SHA-256' || typeof hash.content !== 'string') continue;
    if (/^[0-9a-fA-F]{64}$/.test(hash.content)) return hash.content.toLowerCase();
    // Hex of another digest's length passes the schema; anything else the schema names already.
    if (/^[0-9a-fA-F]+$/.test(hash.content) && [32, 40, 96, 128].includes(hash.content.length))
      problems.push({ path: toJsonPath([...at, 'hashes', i, 'content']), message: 'a SHA-256 is 64 hex digits' });
  }
  return undefined;
};

/** Where a base model comes from: its purl, else its first external reference, else its supplier or publisher. */
const originOf = (component: Json): string => {
  const reference = list(component.externalReferences).find((r) => isObject(r) && text(r.url));
  const supplier = isObject(component.supplier) ? text(component.supplier.name) : undefined;
  return text(component.purl) ?? (isObject(reference) ? text(reference.url) : undefined) ?? supplier ?? text(component.publisher) ?? 'unknown';
};

const relationOf = (component: Json, at: Array<string | number>, problems: FieldProblem[]) => {
  for (const [i, property] of list(component.properties).entries()) {
    if (!isObject(property) || property.name !== RELATION_PROPERTY) continue;
    if (isBaseModelRelation(property.value)) return property.value;
    problems.push({ path: toJsonPath([...at, 'properties', i, 'value']), message: `${RELATION_PROPERTY} must be one of ${BASE_MODEL_RELATIONS.join(', ')}` });
  }
  return undefined;
};

/** Clearance's own rules on a BOM, beside the schema's: the model and its ancestors are machine-learning models. */
const lineageOf = (bom: Json, problems: FieldProblem[]) => {
  const metadata = isObject(bom.metadata) ? bom.metadata : {};
  const model = metadata.component;
  if (!isObject(model)) {
    problems.push({ path: toJsonPath(COMPONENT), message: 'is required: the machine-learning-model the BOM describes' });
    return null;
  }
  if (model.type !== 'machine-learning-model')
    problems.push({ path: toJsonPath([...COMPONENT, 'type']), message: 'must be "machine-learning-model": the BOM describes the model' });
  const ancestors = list(isObject(model.pedigree) ? model.pedigree.ancestors : undefined);
  if (ancestors.length > MAX_BASE_MODELS) problems.push({ path: toJsonPath(ANCESTORS), message: `at most ${MAX_BASE_MODELS} base models` });
  const claims: BaseModelClaim[] = [];
  for (const [i, ancestor] of ancestors.entries()) {
    const at = [...ANCESTORS, i];
    if (!isObject(ancestor)) continue; // the schema names it
    if (ancestor.type !== 'machine-learning-model')
      problems.push({ path: toJsonPath([...at, 'type']), message: 'must be "machine-learning-model": an ancestor is a base model' });
    const sha256 = sha256Of(ancestor, at, problems);
    const relation = relationOf(ancestor, at, problems);
    const name = text(ancestor.name);
    if (!name) continue; // the schema names it
    claims.push({ path: toJsonPath(at), name, version: text(ancestor.version), sha256, origin: originOf(ancestor), relation, hubId: false });
  }
  return {
    model: { name: text(model.name), version: text(model.version), sha256: sha256Of(model, COMPONENT, problems), path: toJsonPath(COMPONENT) },
    claims,
  };
};

/**
 * Reads a CycloneDX 1.5–1.7 JSON BOM: the model is `metadata.component` (a machine-learning-model),
 * its base models `metadata.component.pedigree.ancestors`. Schema problems (the library's validator)
 * and Clearance's own are listed together, every one by `$.…` path.
 */
export const readCycloneDxLineage = (document: unknown): LineageReading => {
  if (!isObject(document)) return { ok: false, problems: [{ path: '$', message: 'a CycloneDX BOM is a JSON object' }] };
  const problems: FieldProblem[] = [];
  if (document.bomFormat !== 'CycloneDX') problems.push({ path: '$.bomFormat', message: 'must be "CycloneDX"' });
  const version = document.specVersion;
  if (!(CYCLONEDX_VERSIONS as readonly unknown[]).includes(version)) {
    problems.push({ path: '$.specVersion', message: `must be one of ${CYCLONEDX_VERSIONS.join(', ')}` });
    return { ok: false, problems };
  }
  problems.push(...validateCycloneDx(document, version as CycloneDxVersion));
  const lineage = lineageOf(document, problems);
  const unique = uniqueProblems(problems);
  if (unique.length > 0 || !lineage) return { ok: false, problems: unique };
  return { ok: true, ...lineage };
};
