import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { expectProblem, sha256Of, waitFor } from '@app/testing';
import { expectOk, type CaseView } from './support/case-driver.js';
import { useSuite } from './support/suite.js';
import type { Member } from './support/world.js';

type Component = Record<string, unknown> & { name: string; properties?: Array<{ name: string; value: string }> };
type Bom = {
  specVersion: string;
  metadata: { component: Component & { hashes?: Array<{ alg: string; content: string }>; pedigree?: { ancestors: Component[] } } };
} & Record<string, unknown>;

const CYCLONEDX = 'application/vnd.cyclonedx+json';
const exampleBom = (): Bom => JSON.parse(readFileSync('docs/examples/lineage-bom.cdx.json', 'utf8'));
const exampleCard = (): string => readFileSync('docs/examples/model-card.md', 'utf8');

/** An ancestor as a BOM names it: a machine-learning-model with optional version, SHA-256 and relation. */
const ancestor = (name: string, extra: { version?: string; sha256?: string; relation?: string; purl?: string } = {}): Component => ({
  type: 'machine-learning-model',
  name,
  ...(extra.version ? { version: extra.version } : {}),
  ...(extra.sha256 ? { hashes: [{ alg: 'SHA-256', content: extra.sha256 }] } : {}),
  ...(extra.purl ? { purl: extra.purl } : {}),
  ...(extra.relation ? { properties: [{ name: 'clearance:relation', value: extra.relation }] } : {}),
});

/** Lineage from real documents (SPEC "Lineage, bills of materials"): import a BOM or a model card, export a record as CycloneDX 1.7. */
describe('lineage import and CycloneDX export', () => {
  const suite = useSuite();
  const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

  /** A case in draft for a model version with this name, version and checkpoint; answers the case. */
  const draft = async (name = unique('model'), version = '1.0', checkpointSha256 = sha256Of(randomUUID()), developer: Member = suite.world.developer) => {
    const caseId = await suite.driver.create(developer, undefined, { name, version, checkpointSha256 });
    return expectOk(await suite.driver.get(developer.http, caseId), 'read case');
  };

  /** The case's BOM: the example's shape, describing this case's model with these ancestors. */
  const bomFor = (view: CaseView, ancestors: Component[]): Bom => {
    const bom = exampleBom();
    bom.metadata.component = {
      ...bom.metadata.component,
      name: view.model!.name,
      version: view.model!.version,
      hashes: [{ alg: 'SHA-256', content: view.model!.checkpointSha256! }],
      pedigree: { ancestors },
    };
    return bom;
  };

  const importDocument = (caseId: string, body: string, contentType: string, headers: Record<string, string> = {}, developer: Member = suite.world.developer) =>
    developer.http.raw('POST', `/v1/cases/${caseId}/model/import`, body, { 'content-type': contentType, ...headers });

  const importOk = async (caseId: string, body: string, contentType: string, headers: Record<string, string> = {}) => {
    const response = await importDocument(caseId, body, contentType, headers);
    const view = expectOk(response, 'import lineage');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${view.version}"`);
    return view;
  };

  it('imports a CycloneDX BOM: ancestors known by SHA-256 or by name and version link to their model version, the others stay external', async () => {
    const byHash = await draft(unique('base-hashed'), '3.1');
    const byName = await draft(unique('base-named'), '2.0');
    const child = await draft();
    const mistral = { name: 'mistralai/Mistral-7B-v0.1', purl: 'pkg:huggingface/mistralai/Mistral-7B-v0.1@26bca36' };
    const bom = bomFor(child, [
      // Renamed on its way to the BOM: the checkpoint still names it.
      ancestor('renamed-on-the-hub', { version: '9', sha256: byHash.model!.checkpointSha256!.toUpperCase(), relation: 'finetune' }),
      ancestor(byName.model!.name, { version: '2.0', relation: 'quantized' }),
      ancestor(byName.model!.name, { version: '7.0' }),
      ancestor(mistral.name, { version: '26bca36', purl: mistral.purl, sha256: sha256Of('mistral') }),
    ]);

    const view = await importOk(child.id, JSON.stringify(bom), `${CYCLONEDX}; version=1.6`);
    expect(view.version).toBe(child.version + 1);
    const expected = [
      { modelVersionId: byHash.model!.id, relation: 'finetune' },
      { modelVersionId: byName.model!.id, relation: 'quantized' },
      { external: { name: `${byName.model!.name}@7.0`, origin: 'unknown' } },
      { external: { name: `${mistral.name}@26bca36`, origin: mistral.purl, sha256: sha256Of('mistral') } },
    ];
    expect(view.model?.baseModels).toEqual(expected);
    expect(expectOk(await suite.driver.get(suite.world.regulator.http, child.id)).model?.baseModels).toEqual(expected);
  });

  it('imports a Hugging Face model card: a Hub id links when exactly one model version has that name; several ids without a relation are a merge', async () => {
    const hubName = `acme/${unique('helper')}`;
    const base = await draft(hubName, '1.0');
    const twice = `acme/${unique('twice')}`;
    await draft(twice, '1.0');
    await draft(twice, '2.0');
    const child = await draft();

    const card = exampleCard()
      .replace('acme/helper-7b', hubName)
      .replace('base_model_relation: merge\n', '')
      .replace('  - mistralai/Mistral-7B-v0.1', `  - mistralai/Mistral-7B-v0.1\n  - ${twice}`);
    const merged = await importOk(child.id, card, 'text/markdown; charset=utf-8', { 'if-match': `"${child.version}"` });
    expect(merged.model?.baseModels).toEqual([
      { modelVersionId: base.model!.id, relation: 'merge' },
      { external: { name: 'mistralai/Mistral-7B-v0.1', origin: 'https://huggingface.co/mistralai/Mistral-7B-v0.1' }, relation: 'merge' },
      { external: { name: twice, origin: `https://huggingface.co/${twice}` }, relation: 'merge' },
    ]);

    // One id without a relation has none; a declared relation is kept.
    const single = await importOk(child.id, `---\nbase_model: ${hubName}\n---\n# a fine-tune\n`, 'text/markdown');
    expect(single.model?.baseModels).toEqual([{ modelVersionId: base.model!.id }]);
    expect(single.version).toBe(merged.version + 1);
    const adapter = await importOk(child.id, `---\nbase_model: [${hubName}]\nbase_model_relation: adapter\n---\n`, 'text/markdown');
    expect(adapter.model?.baseModels).toEqual([{ modelVersionId: base.model!.id, relation: 'adapter' }]);
  });

  it('answers an invalid BOM or card 400 listing every problem by path, and changes nothing', async () => {
    const base = await draft();
    const child = await draft();
    const before = await importOk(child.id, `---\nbase_model: ${base.model!.name}\n---\n`, 'text/markdown');
    const unchanged = async () => {
      const now = expectOk(await suite.driver.get(suite.world.developer.http, child.id));
      expect({ version: now.version, baseModels: now.model?.baseModels }).toEqual({ version: before.version, baseModels: before.model?.baseModels });
    };

    const bom: Bom = { ...bomFor(before, [ancestor('no-version-no-hash', { relation: 'fork' }), { type: 'data', version: '1' } as unknown as Component]), serialNumber: 'nope', version: 'one' };
    const schemaProblems = expectProblem(await importDocument(child.id, JSON.stringify(bom), CYCLONEDX), 400, 'invalid BOM');
    expect(schemaProblems.type).toBe('/problems/validation');
    expect(schemaProblems.errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        '$.serialNumber',
        '$.version',
        '$.metadata.component.pedigree.ancestors[1].name',
        '$.metadata.component.pedigree.ancestors[1].type',
        '$.metadata.component.pedigree.ancestors[0].properties[0].value',
      ]),
    );
    await unchanged();

    const oldSpec = expectProblem(await importDocument(child.id, JSON.stringify({ ...bomFor(before, []), specVersion: '1.4' }), CYCLONEDX), 400);
    expect(oldSpec.errors).toEqual([{ path: '$.specVersion', message: 'must be one of 1.5, 1.6, 1.7' }]);
    const notJson = expectProblem(await importDocument(child.id, '{"bomFormat": ', CYCLONEDX), 400);
    expect(notJson.type).toBe('/problems/malformed');

    // Clearance's own checks: another model's checkpoint, and the model as its own ancestor.
    const other = bomFor(before, [ancestor('me', { sha256: before.model!.checkpointSha256! })]);
    other.metadata.component.hashes = [{ alg: 'SHA-256', content: sha256Of('another model') }];
    const clearanceProblems = expectProblem(await importDocument(child.id, JSON.stringify(other), CYCLONEDX), 400);
    expect(clearanceProblems.errors?.map((e) => e.path)).toEqual(['$.metadata.component.hashes', '$.metadata.component.pedigree.ancestors[0]']);

    const card = expectProblem(await importDocument(child.id, '---\nbase_model: [ok/id, "not an id!"]\nbase_model_relation: fork\n---\n', 'text/markdown'), 400);
    expect(card.errors).toEqual([
      { path: '$.base_model[1]', message: 'must be a Hugging Face Hub model id (`owner/name`)' },
      { path: '$.base_model_relation', message: 'must be one of finetune, adapter, merge, quantized' },
    ]);
    const noFrontMatter = expectProblem(await importDocument(child.id, '# just a README\n', 'text/markdown'), 400);
    expect(noFrontMatter.errors?.[0]?.path).toBe('$');
    const latin1 = expectProblem(await importDocument(child.id, '---\nbase_model: a/b\n---\n', 'text/markdown; charset=iso-8859-1'), 415);
    expect(latin1.type).toBe('/problems/unsupported-media-type');
    const invalidUtf8 = await suite.world.developer.http.raw('POST', `/v1/cases/${child.id}/model/import`, new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0x0a]), {
      'content-type': 'text/markdown',
    });
    expect(expectProblem(invalidUtf8, 400).errors).toEqual([{ path: '$', message: 'a model card is UTF-8 text' }]);

    for (const contentType of ['application/json', 'text/plain', 'application/x-yaml']) {
      const refused = expectProblem(await importDocument(child.id, JSON.stringify(bomFor(before, [])), contentType), 415, contentType);
      expect(refused.type).toBe('/problems/unsupported-media-type');
    }
    await unchanged();
  });

  it('refuses an import as it refuses a model PATCH: a stale If-Match, another organisation, a case no longer in draft', async () => {
    const child = await draft();
    const card = '---\nbase_model: some/base\n---\n';
    const stale = expectProblem(await importDocument(child.id, card, 'text/markdown', { 'if-match': `"${child.version + 5}"` }), 409);
    expect(stale.type).toBe('/problems/version-conflict');
    expectProblem(await importDocument(child.id, card, 'text/markdown', {}, suite.world.otherDeveloper), 404);
    const regulator = await suite.world.regulator.http.raw('POST', `/v1/cases/${child.id}/model/import`, card, { 'content-type': 'text/markdown' });
    expectProblem(regulator, 403);
    await suite.driver.fireOk(suite.world.developer, child.id, 'SUBMIT');
    await suite.driver.waitForState(child.id, ['awaiting_assignment']);
    const submitted = expectProblem(await importDocument(child.id, card, 'text/markdown'), 409);
    expect(submitted.type).toBe('/problems/invalid-transition');
  });

  it('exports a record as a CycloneDX 1.7 ML-BOM that validates with the library, with ancestors, MOF components and the opinions as declarations', async () => {
    const { driver, world } = suite;
    const clearedCase = async (view: CaseView) => {
      await driver.fireOk(world.developer, view.id, 'SUBMIT');
      await driver.waitForState(view.id, ['awaiting_assignment']);
      await driver.fireOk(world.regulator, view.id, 'ASSIGN_AUDITOR', { auditorId: world.auditorA.id });
      return driver.approve(world.auditorA, view.id, { opinion: 'qualified', basis: 'the model card needs work' });
    };
    const recordsOf = async (caseId: string, count: number) =>
      waitFor(
        async () => expectOk(await suite.stack.http.get(`/v1/public/registry?caseId=${caseId}`)).items,
        (items) => items.length >= count,
        { timeoutMs: 15_000, what: `${count} records of ${caseId}` },
      );

    const base = await draft(unique('published-base'), '1.0');
    await clearedCase(base);
    const [baseRecord] = await recordsOf(base.id, 1);
    const unpublished = await draft(unique('private-base'), '1.0');
    const child = await draft(unique('child'), '1.0');
    await importOk(
      child.id,
      JSON.stringify(
        bomFor(child, [
          ancestor(base.model!.name, { version: '1.0', relation: 'finetune' }),
          ancestor(unpublished.model!.name, { version: '1.0' }),
          ancestor('mistralai/Mistral-7B-v0.1', { purl: 'pkg:huggingface/mistralai/Mistral-7B-v0.1', sha256: sha256Of('mistral') }),
        ]),
      ),
      CYCLONEDX,
    );
    await clearedCase(child);
    await driver.fireOk(world.developer, child.id, 'RECORD_RELEASE', {
      components: [{ component: 'inference_code', release: 'open', location: 'https://example.org/code' }],
    });
    const [released] = await recordsOf(child.id, 2);
    expect(released?.state).toBe('released');

    const response = await suite.stack.http.get(`/v1/public/registry/${released!.id}/bom`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.cyclonedx+json; version=1.7');
    const text = JSON.stringify(expectOk(response, 'bom'));
    await expect(new Validation.JsonValidator(Spec.Version.v1dot7).validate(text)).resolves.toBeNull();

    const bom = JSON.parse(text) as Bom & { components: Component[]; declarations: { assessors: unknown[]; attestations: unknown[] } };
    expect(bom.specVersion).toBe('1.7');
    expect(bom.metadata.component).toMatchObject({
      type: 'machine-learning-model',
      name: child.model!.name,
      version: '1.0',
      hashes: [{ alg: 'SHA-256', content: child.model!.checkpointSha256 }],
    });
    const ancestors = bom.metadata.component.pedigree!.ancestors;
    expect(ancestors.map((a) => [a.name, a.version ?? null])).toEqual([
      [base.model!.name, '1.0'],
      [`unpublished model version ${unpublished.model!.id}`, null],
      ['mistralai/Mistral-7B-v0.1', null],
    ]);
    expect(ancestors[0]).toMatchObject({ hashes: [{ alg: 'SHA-256', content: base.model!.checkpointSha256 }] });
    expect(ancestors[0]?.properties).toEqual(
      expect.arrayContaining([
        { name: 'clearance:relation', value: 'finetune' },
        { name: 'clearance:registryRecord', value: baseRecord!.id },
      ]),
    );
    // The unpublished base model's name stays private.
    expect(text).not.toContain(unpublished.model!.name);

    expect(bom.components).toHaveLength(17);
    const inference = bom.components.find((c) => c.name === 'inference_code');
    expect(inference?.properties).toEqual([{ name: 'clearance:release', value: 'open' }]);
    for (const component of bom.components) expect(component.properties?.map((p) => p.name)).toContain('clearance:release');

    expect(bom.declarations).toEqual({
      assessors: [{ 'bom-ref': `assessor-${world.auditorA.organisationId}`, thirdParty: true, organization: { name: expect.any(String) } }],
      attestations: [
        {
          summary: 'qualified opinion, reasonable assurance',
          assessor: `assessor-${world.auditorA.organisationId}`,
          map: [{ conformance: { rationale: 'the model card needs work' } }],
        },
      ],
    });

    // The exported BOM imports back: the published base links again.
    const next = await draft(child.model!.name, '2.0');
    const reimported = JSON.parse(text) as Bom;
    reimported.metadata.component = { ...reimported.metadata.component, version: '2.0', hashes: [{ alg: 'SHA-256', content: next.model!.checkpointSha256! }] };
    const view = await importOk(next.id, JSON.stringify(reimported), CYCLONEDX);
    expect(view.model?.baseModels[0]).toEqual({ modelVersionId: base.model!.id, relation: 'finetune' });

    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) expectProblem(await suite.stack.http.get(`/v1/public/registry/${id}/bom`), 404);
  });
});
