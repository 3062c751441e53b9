import { describe, expect, it } from '@jest/globals';
import { expectProblem } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

/** Lineage (SPEC "Lineage, bills of materials, incidents, exports"): relations, flags at any depth, the graphs. */
describe('lineage', () => {
  const suite = useSuite();

  it('records the relation of each base model, and refuses one outside the vocabulary naming its path', async () => {
    const { driver, world } = suite;
    const parentId = await driver.create();
    const parent = expectOk(await driver.get(world.developer.http, parentId));
    const childId = await driver.create(world.developer, undefined, { baseModels: [{ modelVersionId: parent.model!.id, relation: 'finetune' }] });
    expect(expectOk(await driver.get(world.developer.http, childId)).model?.baseModels).toEqual([{ modelVersionId: parent.model!.id, relation: 'finetune' }]);

    const baseModels = [
      { modelVersionId: parent.model!.id, relation: 'adapter' },
      { external: { name: 'llama-3-8b', origin: 'https://huggingface.co/meta-llama/Meta-Llama-3-8B' }, relation: 'merge' },
      { external: { name: 'no-relation', origin: 'https://example.org/m' } },
    ] as const;
    const patched = expectOk(await world.developer.http.patch(`/v1/cases/${childId}/model`, { baseModels }));
    expect(patched.model?.baseModels).toEqual(baseModels);

    const refused = await world.developer.http.patch(`/v1/cases/${childId}/model`, {
      baseModels: [{ modelVersionId: parent.model!.id, relation: 'distilled' }],
    });
    expect(expectProblem(refused, 400).errors?.map((e) => e.path)).toEqual(['$.baseModels[0].relation']);
    expect(expectOk(await driver.get(world.developer.http, childId)).model?.baseModels).toEqual(baseModels);
  });
});
