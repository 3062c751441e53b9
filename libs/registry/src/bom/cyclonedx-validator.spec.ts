import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { CYCLONEDX_VERSIONS, validateCycloneDx, type CycloneDxVersion } from './cyclonedx-validator.js';

type Bom = Record<string, unknown> & { metadata: Record<string, unknown> & { component: Record<string, unknown> } };
const sample = (): Bom => JSON.parse(readFileSync('docs/examples/lineage-bom.cdx.json', 'utf8'));
const LIBRARY_VERSIONS = { '1.5': Spec.Version.v1dot5, '1.6': Spec.Version.v1dot6, '1.7': Spec.Version.v1dot7 } as const;
const libraryValidators = new Map<CycloneDxVersion, Validation.JsonValidator>();
const libraryValidator = (version: CycloneDxVersion) => {
  if (!libraryValidators.has(version)) libraryValidators.set(version, new Validation.JsonValidator(LIBRARY_VERSIONS[version]));
  return libraryValidators.get(version)!;
};

const component = (i: number) => ({ type: 'library', name: `component-${i}`, version: '1.0.0', hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }] });

/** Valid and invalid documents, each a change to the example BOM. */
const documents: Array<[string, (bom: Bom) => void]> = [
  ['the example as it is', () => {}],
  ['components', (bom) => (bom.components = [component(1), component(2)])],
  ['a duplicated component', (bom) => (bom.components = [component(1), component(2), component(1)])],
  ['a duplicated component, keys in another order', (bom) => (bom.components = [component(1), Object.fromEntries(Object.entries(component(1)).reverse())])],
  ['duplicated hashes', (bom) => (bom.metadata.component.hashes = [{ alg: 'SHA-256', content: 'b'.repeat(64) }, { content: 'b'.repeat(64), alg: 'SHA-256' }])],
  ['a missing name', (bom) => delete bom.metadata.component.name],
  ['an unknown property', (bom) => (bom.metadata.component.colour = 'blue')],
  ['a bad enum', (bom) => (bom.metadata.component.type = 'spaceship')],
  ['a bad serial number', (bom) => (bom.serialNumber = 'not-a-urn')],
  ['a bad e-mail', (bom) => (bom.metadata.authors = [{ name: 'A', email: 'not an e-mail' }])],
  ['an internationalised e-mail', (bom) => (bom.metadata.authors = [{ name: 'A', email: 'δοκιμή@παράδειγμα.δοκιμή' }])],
  ['a bad date-time', (bom) => (bom.metadata.timestamp = 'yesterday')],
];

describe(validateCycloneDx.name, () => {
  it.each(documents)("agrees with the CycloneDX library's validator on %s, in every version read", async (_name, change) => {
    for (const version of CYCLONEDX_VERSIONS) {
      const bom = { ...sample(), specVersion: version };
      change(bom);
      const library = await libraryValidator(version).validate(JSON.stringify(bom));
      const problems = validateCycloneDx(bom, version);
      expect({ version, valid: problems.length === 0 }).toEqual({ version, valid: library === null });
    }
  });

  it('names a duplicated item by value, whatever the order of its keys, as Ajv would', () => {
    const bom = sample();
    bom.components = [component(1), component(2), Object.fromEntries(Object.entries(component(1)).reverse())];
    expect(validateCycloneDx(bom, '1.7')).toEqual([{ path: '$.components', message: 'must NOT have duplicate items (items ## 2 and 0 are identical)' }]);
  });

  it('takes many distinct components (each compared by value once, not with every other)', () => {
    const bom = sample();
    const components = Array.from({ length: 5000 }, (_, i) => component(i));
    bom.components = components;
    expect(validateCycloneDx(bom, '1.7')).toEqual([]);
    components.push(component(4321));
    expect(validateCycloneDx(bom, '1.7')).toEqual([{ path: '$.components', message: 'must NOT have duplicate items (items ## 5000 and 4321 are identical)' }]);
  });
});
