import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import addDraft2019FormatsModule from 'ajv-formats-draft2019';
import { canonicalJson } from '@app/integrity';
import type { FieldProblem } from '@app/problems';
import { toJsonPath } from '@app/policy';
import { uniqueProblems } from './base-model-claim.js';
import { pointerKeys } from './json-pointer.util.js';

/** The CycloneDX versions Clearance reads (SPEC.md: 1.5 to 1.7); it writes 1.7. */
export const CYCLONEDX_VERSIONS = ['1.5', '1.6', '1.7'] as const;
export type CycloneDxVersion = (typeof CYCLONEDX_VERSIONS)[number];

// The schemas the library bundles, compiled with its Ajv options and formats (so the verdict is the
// library's), with allErrors so every problem is listed, and with `uniqueItems` checked by value in
// linear time: Ajv's own check compares every pair of items, which made a 1 MiB BOM of 3,300
// components cost 1.1 s of the api's event loop, twice that when invalid (`npm run bench:bom`;
// docs/decisions.md, "A BOM is validated in linear time").
const SCHEMA_DIR = join(dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res/schema');
const REFERENCED = ['spdx.SNAPSHOT.schema.json', 'cryptography-defs.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json'];

// ajv-formats and ajv-formats-draft2019 are CommonJS with a `default` export: take whichever form the loader hands over.
const interop = <T>(module: T): T => (module as { default?: T }).default ?? module;
const addFormats = interop(addFormatsModule) as unknown as (ajv: Ajv) => void;
const addDraft2019Formats = interop(addDraft2019FormatsModule);

const UNIQUE_BY_VALUE = 'uniqueByValue';

/** A schema with each `uniqueItems: true` turned into UNIQUE_BY_VALUE. */
const uniqueByValue = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(uniqueByValue);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => (key === 'uniqueItems' && value === true ? [UNIQUE_BY_VALUE, true] : [key, uniqueByValue(value)])));
};

const readSchema = (file: string): Record<string, unknown> => uniqueByValue(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'))) as Record<string, unknown>;

/**
 * `uniqueItems` by each item's canonical JSON (RFC 8785, so key order and number spelling do not
 * matter, as for Ajv's deep equality): one pass instead of a comparison of every pair. The error
 * reads as Ajv's.
 */
const distinctItems: SchemaValidateFunction = (unique: boolean, items: unknown[]) => {
  if (!unique) return true;
  const seen = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    const key = canonicalJson(item);
    const j = seen.get(key);
    if (j !== undefined) {
      distinctItems.errors = [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${i} and ${j} are identical)`, params: { i, j } }];
      return false;
    }
    seen.set(key, i);
  }
  return true;
};

const validators = new Map<CycloneDxVersion, ValidateFunction>();

const validatorOf = (version: CycloneDxVersion): ValidateFunction => {
  let validate = validators.get(version);
  if (!validate) {
    const schemas = Object.fromEntries(REFERENCED.map((file) => [`http://cyclonedx.org/schema/${file}`, readSchema(file)]));
    const ajv = new Ajv({ allErrors: true, strict: false, strictSchema: false, useDefaults: false, addUsedSchema: false, schemas });
    addFormats(ajv);
    addDraft2019Formats(ajv, { formats: ['idn-email'] });
    // As the library does: IRIs are not checked further.
    ajv.addFormat('iri-reference', true);
    ajv.addKeyword({ keyword: UNIQUE_BY_VALUE, type: 'array', schemaType: 'boolean', errors: true, validate: distinctItems });
    validate = ajv.compile(readSchema(`bom-${version}.SNAPSHOT.schema.json`));
    validators.set(version, validate);
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
 * path; none when it is valid.
 */
export const validateCycloneDx = (document: unknown, version: CycloneDxVersion): FieldProblem[] => {
  const validate = validatorOf(version);
  return validate(document) ? [] : uniqueProblems((validate.errors ?? []).map(problemOf));
};
