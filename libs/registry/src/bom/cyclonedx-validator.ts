import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import type { FieldProblem } from '@app/problems';
import { toJsonPath } from '@app/policy';
import { uniqueProblems } from './base-model-claim.js';
import { pointerKeys } from './json-pointer.util.js';

/** The CycloneDX versions Clearance reads (SPEC.md: 1.5 to 1.7); it writes 1.7. */
export const CYCLONEDX_VERSIONS = ['1.5', '1.6', '1.7'] as const;
export type CycloneDxVersion = (typeof CYCLONEDX_VERSIONS)[number];

const SPEC_VERSIONS: Record<CycloneDxVersion, Spec.Version> = { '1.5': Spec.Version.v1dot5, '1.6': Spec.Version.v1dot6, '1.7': Spec.Version.v1dot7 };

// The library's validator reports the first problem only (Ajv without allErrors); the same bundled
// schemas compiled with allErrors list the others. The library's verdict decides.
const SCHEMA_DIR = join(dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res/schema');
const REFERENCED = ['spdx.SNAPSHOT.schema.json', 'cryptography-defs.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json'];
const readSchema = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'));

// ajv-formats is CommonJS with a `default` export: take whichever form the loader hands over.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => void;

const libraryValidators = new Map<CycloneDxVersion, Validation.JsonValidator>();
const listingValidators = new Map<CycloneDxVersion, ValidateFunction>();

const listingValidator = (version: CycloneDxVersion): ValidateFunction => {
  let validate = listingValidators.get(version);
  if (!validate) {
    const schemas = Object.fromEntries(REFERENCED.map((file) => [`http://cyclonedx.org/schema/${file}`, readSchema(file)]));
    const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false, addUsedSchema: false, schemas });
    addFormats(ajv);
    // As the library does: IRIs and internationalised e-mail addresses are not checked further.
    ajv.addFormat('iri-reference', true);
    ajv.addFormat('idn-email', true);
    validate = ajv.compile(readSchema(`bom-${version}.SNAPSHOT.schema.json`));
    listingValidators.set(version, validate);
  }
  return validate;
};

const problemOf = (error: ErrorObject): FieldProblem => {
  const keys = pointerKeys(error.instancePath);
  const path = toJsonPath(keys);
  switch (error.keyword) {
    case 'required':
      return { path: toJsonPath([...keys, String(error.params.missingProperty)]), message: 'is required' };
    case 'additionalProperties':
      return { path: toJsonPath([...keys, String(error.params.additionalProperty)]), message: 'is not a property CycloneDX defines here' };
    case 'enum':
      return { path, message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
};

/**
 * Every problem of a CycloneDX JSON document against the schema of `version`, named by `$.…`
 * path; none when the library's JsonValidator finds it valid.
 */
export const validateCycloneDx = async (document: unknown, version: CycloneDxVersion): Promise<FieldProblem[]> => {
  let validator = libraryValidators.get(version);
  if (!validator) libraryValidators.set(version, (validator = new Validation.JsonValidator(SPEC_VERSIONS[version])));
  const verdict = (await validator.validate(JSON.stringify(document))) as ErrorObject[] | null;
  if (verdict === null) return [];
  const listing = listingValidator(version);
  listing(document);
  return uniqueProblems([...verdict, ...(listing.errors ?? [])].map(problemOf));
};
