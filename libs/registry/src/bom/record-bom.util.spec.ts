import { describe, expect, it } from '@jest/globals';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { readCycloneDxLineage } from './cyclonedx-lineage.util.js';
import { buildRecordBom, type BomRecord, type PublishedAncestor } from './record-bom.util.js';
import { inlineTexts, textReferencesOf } from './record-texts.util.js';

const sha = (c: string) => c.repeat(64);
const record = (overrides: Partial<BomRecord> = {}): BomRecord => ({
  id: '0b0e8a52-5a43-4c5e-9a57-3f0f8d1f7c11',
  caseId: '5d3c1f0e-2b9e-4d0f-8e7a-1c2b3d4e5f60',
  publishedAt: '2026-11-30T10:00:00.000Z',
  developer: { id: 'd1', name: 'Acme AI' },
  state: 'released',
  tier: 'low',
  policyPack: 'caip-2025@1',
  model: {
    name: 'acme/helper-7b-chat',
    version: '1.0',
    checkpointSha256: sha('a'),
    baseModels: [
      { modelVersionId: 'b1f0c1de-0000-4000-8000-000000000001', relation: 'finetune' },
      { modelVersionId: 'b1f0c1de-0000-4000-8000-000000000002' },
      { external: { name: 'mistralai/Mistral-7B-v0.1', origin: 'https://huggingface.co/mistralai/Mistral-7B-v0.1', sha256: sha('c') }, relation: 'merge' },
    ],
  },
  clearance: [
    { component: 'model_parameters', release: 'gated', gating: { criteria: ['vetted researchers', 'signed licence'], approval: 'manual' } },
    { component: 'inference_code', release: 'open' },
  ],
  opinions: [
    { auditFirm: { id: 'f1', name: 'Audit A' }, kind: 'qualified', assurance: 'reasonable', basis: 'card needs work', conditions: [], issuedAt: '2026-11-29T10:00:00.000Z' },
    { auditFirm: { id: 'f1', name: 'Audit A' }, kind: 'unmodified', assurance: 'limited', basis: null, conditions: [], issuedAt: '2026-11-29T11:00:00.000Z' },
    { auditFirm: { id: 'f2', name: 'Audit B' }, kind: 'unmodified', assurance: 'reasonable', basis: 'fine', conditions: [], issuedAt: '2026-11-29T12:00:00.000Z' },
  ],
  releasedAt: '2026-11-30T09:00:00.000Z',
  chainHead: { seq: 12, hash: sha('d') },
  ...overrides,
});
const published = new Map<string, PublishedAncestor>([
  ['b1f0c1de-0000-4000-8000-000000000001', { recordId: 'r-1', name: 'acme/helper-7b', version: '1.0', checkpointSha256: sha('b') }],
]);

describe(buildRecordBom.name, () => {
  it('validates against the CycloneDX 1.7 schema with the library\'s validator', async () => {
    const bom = buildRecordBom(record(), published);
    await expect(new Validation.JsonValidator(Spec.Version.v1dot7).validate(JSON.stringify(bom))).resolves.toBeNull();
    const bare = buildRecordBom(record({ model: { name: 'm', version: '1', checkpointSha256: null, baseModels: [] }, opinions: [], tier: null, releasedAt: null }), new Map());
    await expect(new Validation.JsonValidator(Spec.Version.v1dot7).validate(JSON.stringify(bare))).resolves.toBeNull();
  });

  it('describes the model by its SHA-256, and its ancestors: published by their record, unpublished by id only, external by origin', () => {
    const { metadata, serialNumber } = buildRecordBom(record(), published);
    expect(serialNumber).toBe('urn:uuid:0b0e8a52-5a43-4c5e-9a57-3f0f8d1f7c11');
    expect(metadata.component).toMatchObject({ type: 'machine-learning-model', name: 'acme/helper-7b-chat', version: '1.0', hashes: [{ alg: 'SHA-256', content: sha('a') }] });
    expect(metadata.component.pedigree?.ancestors).toEqual([
      {
        type: 'machine-learning-model',
        'bom-ref': 'ancestor-0',
        name: 'acme/helper-7b',
        version: '1.0',
        hashes: [{ alg: 'SHA-256', content: sha('b') }],
        properties: [
          { name: 'clearance:relation', value: 'finetune' },
          { name: 'clearance:modelVersionId', value: 'b1f0c1de-0000-4000-8000-000000000001' },
          { name: 'clearance:registryRecord', value: 'r-1' },
        ],
      },
      {
        type: 'machine-learning-model',
        'bom-ref': 'ancestor-1',
        name: 'unpublished model version b1f0c1de-0000-4000-8000-000000000002',
        properties: [{ name: 'clearance:modelVersionId', value: 'b1f0c1de-0000-4000-8000-000000000002' }],
      },
      {
        type: 'machine-learning-model',
        'bom-ref': 'ancestor-2',
        name: 'mistralai/Mistral-7B-v0.1',
        hashes: [{ alg: 'SHA-256', content: sha('c') }],
        externalReferences: [{ type: 'distribution', url: 'https://huggingface.co/mistralai/Mistral-7B-v0.1' }],
        properties: [
          { name: 'clearance:relation', value: 'merge' },
          { name: 'clearance:origin', value: 'https://huggingface.co/mistralai/Mistral-7B-v0.1' },
        ],
      },
    ]);
  });

  it('gives each MOF component its cleared release and gating as properties', () => {
    const { components } = buildRecordBom(record(), published);
    expect(components).toEqual([
      {
        type: 'file',
        'bom-ref': 'mof-model_parameters',
        name: 'model_parameters',
        properties: [
          { name: 'clearance:release', value: 'gated' },
          { name: 'clearance:gating.criteria', value: 'vetted researchers' },
          { name: 'clearance:gating.criteria', value: 'signed licence' },
          { name: 'clearance:gating.approval', value: 'manual' },
        ],
      },
      { type: 'application', 'bom-ref': 'mof-inference_code', name: 'inference_code', properties: [{ name: 'clearance:release', value: 'open' }] },
    ]);
  });

  it('declares each audit firm once as a third-party assessor and each opinion as its attestation', () => {
    const { declarations } = buildRecordBom(record(), published);
    expect(declarations).toEqual({
      assessors: [
        { 'bom-ref': 'assessor-f1', thirdParty: true, organization: { name: 'Audit A' } },
        { 'bom-ref': 'assessor-f2', thirdParty: true, organization: { name: 'Audit B' } },
      ],
      attestations: [
        { summary: 'qualified opinion, reasonable assurance', assessor: 'assessor-f1', map: [{ conformance: { rationale: 'card needs work' } }] },
        { summary: 'unmodified opinion, limited assurance', assessor: 'assessor-f1', map: [{ conformance: {} }] },
        { summary: 'unmodified opinion, reasonable assurance', assessor: 'assessor-f2', map: [{ conformance: { rationale: 'fine' } }] },
      ],
    });
  });

  it('reads back through the importer with the same base models and relations', async () => {
    const reading = readCycloneDxLineage(buildRecordBom(record(), published));
    if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
    expect(reading.claims.map((c) => [c.name, c.version ?? null, c.sha256 ?? null, c.relation ?? null])).toEqual([
      ['acme/helper-7b', '1.0', sha('b'), 'finetune'],
      ['unpublished model version b1f0c1de-0000-4000-8000-000000000002', null, null, null],
      ['mistralai/Mistral-7B-v0.1', null, sha('c'), 'merge'],
    ]);
  });
});

describe(inlineTexts.name, () => {
  it('puts back every long text a record publishes by reference', () => {
    const long = { sha256: sha('e'), length: 2500 };
    const value = { opinions: [{ basis: long }, { basis: 'short' }], clearance: [{ gating: { criteria: [long] } }] };
    expect(textReferencesOf(value)).toEqual([sha('e')]);
    expect(inlineTexts(value, new Map([[sha('e'), 'x'.repeat(2500)]]))).toEqual({
      opinions: [{ basis: 'x'.repeat(2500) }, { basis: 'short' }],
      clearance: [{ gating: { criteria: ['x'.repeat(2500)] } }],
    });
  });
});
