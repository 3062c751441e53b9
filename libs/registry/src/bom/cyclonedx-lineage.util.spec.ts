import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { readCycloneDxLineage } from './cyclonedx-lineage.util.js';

type Bom = Record<string, unknown> & { metadata: { component: Record<string, unknown> & { pedigree: { ancestors: Array<Record<string, unknown>> } } } };
const sample = (): Bom => JSON.parse(readFileSync('docs/examples/lineage-bom.cdx.json', 'utf8'));

const problemsOf = (document: unknown) => {
  const reading = readCycloneDxLineage(document);
  if (reading.ok) throw new Error('expected problems');
  return reading.problems;
};

describe(readCycloneDxLineage.name, () => {
  it('reads the model and its pedigree ancestors from the example BOM', () => {
    const reading = readCycloneDxLineage(sample());
    expect(reading).toEqual({
      ok: true,
      model: { name: 'acme/helper-7b-chat', version: '1.0', sha256: '4b227777d4dd1fc61c6f884f48641d02b4d121d3fd328cb08b5531fcacdabf8a', path: '$.metadata.component' },
      claims: [
        {
          path: '$.metadata.component.pedigree.ancestors[0]',
          name: 'acme/helper-7b',
          version: '1.0',
          sha256: 'ef2d127de37b942baad06145e54b0c619a1f22327b2ebbcfbec78f5564afe39d',
          origin: 'unknown',
          relation: 'finetune',
          hubId: false,
        },
        {
          path: '$.metadata.component.pedigree.ancestors[1]',
          name: 'mistralai/Mistral-7B-v0.1',
          version: '26bca36bde8333b5d7f72e9ed20ccda6a618af24',
          sha256: undefined,
          origin: 'pkg:huggingface/mistralai/Mistral-7B-v0.1@26bca36bde8333b5d7f72e9ed20ccda6a618af24',
          relation: 'finetune',
          hubId: false,
        },
      ],
    });
  });

  it.each(['1.5', '1.6', '1.7'])('reads specVersion %s', (specVersion) => {
    const reading = readCycloneDxLineage({ ...sample(), specVersion });
    expect(reading.ok).toBe(true);
  });

  it('reads a BOM without ancestors as no base models, and takes upper-case hex as lowercase', () => {
    const bom = sample();
    bom.metadata.component.pedigree.ancestors = [];
    bom.metadata.component.hashes = [{ alg: 'SHA-256', content: 'AB'.repeat(32) }];
    const reading = readCycloneDxLineage(bom);
    expect(reading).toMatchObject({ ok: true, claims: [], model: { sha256: 'ab'.repeat(32) } });
  });

  it('refuses what is not a CycloneDX 1.5–1.7 BOM', () => {
    expect(problemsOf([])).toEqual([{ path: '$', message: 'a CycloneDX BOM is a JSON object' }]);
    expect(problemsOf({ ...sample(), bomFormat: 'SPDX', specVersion: '1.4' })).toEqual([
      { path: '$.bomFormat', message: 'must be "CycloneDX"' },
      { path: '$.specVersion', message: 'must be one of 1.5, 1.6, 1.7' },
    ]);
  });

  it('lists every problem, the schema\'s and Clearance\'s, each once by JSON path', () => {
    const bom = sample();
    bom.serialNumber = 'not-a-urn';
    bom.version = 'one';
    Object.assign(bom.metadata.component, { type: 'library', colour: 'blue' });
    const [first, second] = bom.metadata.component.pedigree.ancestors as [Record<string, unknown>, Record<string, unknown>];
    delete first.name;
    Object.assign(second, { type: 'data', hashes: [{ alg: 'SHA-256', content: 'a'.repeat(40) }], properties: [{ name: 'clearance:relation', value: 'fork' }] });
    const problems = problemsOf(bom);
    expect(problems.map((p) => p.path)).toEqual([
      '$.serialNumber',
      '$.version',
      '$.metadata.component.colour',
      '$.metadata.component.pedigree.ancestors[0].name',
      '$.metadata.component.type',
      '$.metadata.component.pedigree.ancestors[1].type',
      '$.metadata.component.pedigree.ancestors[1].hashes[0].content',
      '$.metadata.component.pedigree.ancestors[1].properties[0].value',
    ]);
    expect(problems).toContainEqual({ path: '$.metadata.component.pedigree.ancestors[0].name', message: 'is required' });
    expect(problems).toContainEqual({ path: '$.metadata.component.pedigree.ancestors[1].hashes[0].content', message: 'a SHA-256 is 64 hex digits' });
  });

  it('requires metadata.component, the model the BOM describes', () => {
    const problems = problemsOf({ bomFormat: 'CycloneDX', specVersion: '1.7', version: 1, metadata: {} });
    expect(problems).toEqual([{ path: '$.metadata.component', message: 'is required: the machine-learning-model the BOM describes' }]);
  });
});
