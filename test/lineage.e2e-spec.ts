import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { expectProblem, waitForOk } from '@app/testing';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

/** Lineage (SPEC "Lineage, bills of materials, incidents, exports"): relations, flags at any depth, the graphs. */
describe('lineage', () => {
  const suite = useSuite();

  type BaseModels = Array<Record<string, unknown>>;

  /** A draft case built on these base models; answers its case id and model version id. */
  const draft = async (baseModels: BaseModels = []) => {
    const caseId = await suite.driver.create(suite.world.developer, undefined, { baseModels });
    return { caseId, modelVersionId: expectOk(await suite.driver.get(suite.world.developer.http, caseId)).model!.id };
  };

  /** A released case built on these base models. */
  const released = async (baseModels: BaseModels = []) => {
    const { driver, world } = suite;
    const made = await draft(baseModels);
    await driver.fireOk(world.developer, made.caseId, 'SUBMIT');
    await driver.waitForState(made.caseId, ['awaiting_assignment']);
    await driver.fireOk(world.regulator, made.caseId, 'ASSIGN_AUDITOR', { auditorId: world.auditorA.id });
    await driver.approve(world.auditorA, made.caseId);
    await driver.fireOk(world.developer, made.caseId, 'RECORD_RELEASE', {
      components: [{ component: 'inference_code', release: 'open', location: 'https://example.org/code' }],
    });
    return made;
  };

  const on = (modelVersionId: string, relation?: string) => ({ modelVersionId, ...(relation ? { relation } : {}) });

  /** The case's last history row, once the worker has sent it to reassessment. */
  const flaggedRow = async (caseId: string) => {
    await suite.driver.waitForState(caseId, ['reassessment_required']);
    return (await suite.driver.history(caseId)).at(-1);
  };

  it('records the relation of each base model, and refuses one outside the vocabulary naming its path', async () => {
    const { driver, world } = suite;
    const parent = await draft();
    const child = await draft([on(parent.modelVersionId, 'finetune')]);
    expect(expectOk(await driver.get(world.developer.http, child.caseId)).model?.baseModels).toEqual([on(parent.modelVersionId, 'finetune')]);

    const baseModels = [
      on(parent.modelVersionId, 'adapter'),
      { external: { name: 'llama-3-8b', origin: 'https://huggingface.co/meta-llama/Meta-Llama-3-8B' }, relation: 'merge' },
      { external: { name: 'no-relation', origin: 'https://example.org/m' } },
    ];
    const patched = expectOk(await world.developer.http.patch(`/v1/cases/${child.caseId}/model`, { baseModels }));
    expect(patched.model?.baseModels).toEqual(baseModels);

    const refused = await world.developer.http.patch(`/v1/cases/${child.caseId}/model`, { baseModels: [on(parent.modelVersionId, 'distilled')] });
    expect(expectProblem(refused, 400).errors?.map((e) => e.path)).toEqual(['$.baseModels[0].relation']);
    expect(expectOk(await driver.get(world.developer.http, child.caseId)).model?.baseModels).toEqual(baseModels);
  });

  it('flags every descendant at any depth, through model versions whose cases are not flaggable and through a cycle', async () => {
    const { driver, world } = suite;
    // grandparent ← parent (draft) ← grandchild; parent ⇄ sibling (a cycle) ← great-grandchild; grandparent ← child.
    const grandparent = await released();
    const child = await released([on(grandparent.modelVersionId, 'finetune')]);
    const parent = await draft([on(grandparent.modelVersionId, 'finetune')]);
    const grandchild = await released([on(parent.modelVersionId, 'quantized')]);
    const sibling = await draft([on(parent.modelVersionId, 'adapter')]);
    expectOk(await world.developer.http.patch(`/v1/cases/${parent.caseId}/model`, { baseModels: [on(grandparent.modelVersionId), on(sibling.modelVersionId)] }));
    const greatGrandchild = await released([on(sibling.modelVersionId)]);

    await driver.fireOk(world.regulator, grandparent.caseId, 'REQUIRE_REASSESSMENT', { reason: 'training data withdrawn' });
    for (const descendant of [child, grandchild, greatGrandchild])
      expect(await flaggedRow(descendant.caseId)).toMatchObject({
        type: 'BASE_MODEL_FLAGGED',
        actor: 'system',
        fromState: 'released',
        toState: 'reassessment_required',
        payload: { modelVersionId: grandparent.modelVersionId },
      });
    // Each descendant is flagged once: the flagged one's walk reaches every depth, a moved descendant starts none.
    for (const descendant of [child, grandchild, greatGrandchild])
      expect((await driver.history(descendant.caseId)).filter((row) => row.type === 'BASE_MODEL_FLAGGED')).toHaveLength(1);
    expect(expectOk(await driver.get(world.regulator.http, parent.caseId)).state).toBe('draft');

    // The regulator's graph: every generation, the links with their relations, flags and case states.
    const graph = expectOk(await world.regulator.http.get(`/v1/lineage/${grandparent.modelVersionId}`));
    const depthOf = Object.fromEntries(graph.nodes.map((n) => [n.modelVersionId, n.depth]));
    expect(depthOf).toEqual({
      [grandparent.modelVersionId]: 0,
      [child.modelVersionId]: 1,
      [parent.modelVersionId]: 1,
      [grandchild.modelVersionId]: 2,
      [sibling.modelVersionId]: 2,
      [greatGrandchild.modelVersionId]: 3,
    });
    expect(graph.nodes.find((n) => n.modelVersionId === grandparent.modelVersionId)).toMatchObject({
      flagged: true,
      case: { id: grandparent.caseId, state: 'reassessment_required' },
    });
    expect(graph.nodes.find((n) => n.modelVersionId === parent.modelVersionId)).toMatchObject({ flagged: false, case: { state: 'draft' } });
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: parent.modelVersionId, to: grandchild.modelVersionId, relation: 'quantized' },
        { from: sibling.modelVersionId, to: parent.modelVersionId, relation: null },
        { from: parent.modelVersionId, to: sibling.modelVersionId, relation: 'adapter' },
      ]),
    );
    expect(graph.edges).toHaveLength(6);
    const fromBelow = expectOk(await world.regulator.http.get(`/v1/lineage/${grandchild.modelVersionId}`));
    expect(fromBelow.nodes.filter((n) => n.depth < 0).map((n) => n.modelVersionId).sort()).toEqual(
      [grandparent.modelVersionId, parent.modelVersionId, sibling.modelVersionId].sort(),
    );
  });

  it('flags the child of a merge when either parent is held or revoked', async () => {
    const { driver, world } = suite;
    const [a, b, c] = [await released(), await released(), await released()];
    const ab = await released([on(a.modelVersionId, 'merge'), on(b.modelVersionId, 'merge')]);
    const bc = await released([on(b.modelVersionId, 'merge'), on(c.modelVersionId, 'merge')]);

    // The first parent of one merge, then the second parent of the other.
    await driver.fireOk(world.regulator, a.caseId, 'REVOKE', { reason: 'licence withdrawn' });
    expect(await flaggedRow(ab.caseId)).toMatchObject({ type: 'BASE_MODEL_FLAGGED', payload: { modelVersionId: a.modelVersionId } });
    await driver.fireOk(world.regulator, c.caseId, 'FLAG', { reason: 'investigation' });
    await driver.fireOk(world.regulator, c.caseId, 'HOLD', { reason: 'investigation' });
    expect(await flaggedRow(bc.caseId)).toMatchObject({ type: 'BASE_MODEL_FLAGGED', payload: { modelVersionId: c.modelVersionId } });
    expect((await driver.history(ab.caseId)).filter((row) => row.type === 'BASE_MODEL_FLAGGED')).toHaveLength(1);
    expect(expectOk(await driver.get(world.regulator.http, b.caseId)).state).toBe('released');
  });

  it('shows the public lineage of published records only, and the graph to regulators only', async () => {
    const { world, stack } = suite;
    const base = await released();
    const hidden = await draft([on(base.modelVersionId, 'finetune')]);
    const derived = await released([on(hidden.modelVersionId, 'quantized')]);
    const recordOf = async (caseId: string) =>
      (await waitForOk(() => stack.http.get(`/v1/public/registry?caseId=${caseId}&limit=1`), (page) => page.items.length > 0, { what: `record of ${caseId}` }))
        .items[0]!.id;
    const [baseRecord, derivedRecord] = [await recordOf(base.caseId), await recordOf(derived.caseId)];

    const fromDerived = expectOk(await stack.http.get(`/v1/public/registry/${derivedRecord}/lineage`));
    expect(fromDerived.descendants).toEqual([]);
    expect(fromDerived.ancestors).toHaveLength(1);
    expect(fromDerived.ancestors[0]).toMatchObject({ name: expect.stringMatching(/^model-/), version: '1.0', relation: 'finetune', depth: -2 });
    expect(['cleared', 'released']).toContain(fromDerived.ancestors[0]!.state);
    const fromBase = expectOk(await stack.http.get(`/v1/public/registry/${baseRecord}/lineage`));
    expect(fromBase).toMatchObject({ ancestors: [], descendants: [{ relation: 'quantized', depth: 2 }] });
    expect(JSON.stringify(fromBase)).not.toContain(hidden.modelVersionId);

    expectProblem(await stack.http.get(`/v1/public/registry/${randomUUID()}/lineage`), 404);
    expectProblem(await stack.http.get('/v1/public/registry/not-a-uuid/lineage'), 404);
    expectProblem(await world.developer.http.get(`/v1/lineage/${base.modelVersionId}`), 403);
    expectProblem(await world.auditorA.http.get(`/v1/lineage/${base.modelVersionId}`), 403);
    expectProblem(await stack.http.get(`/v1/lineage/${base.modelVersionId}`), 401);
    expectProblem(await world.regulator.http.get(`/v1/lineage/${randomUUID()}`), 404);
    expectProblem(await world.regulator.http.get('/v1/lineage/not-a-uuid'), 404);
  });

  it('walks at most 1,000 model versions each way, nearest generations first, and says when it stopped', async () => {
    const { world, stack } = suite;
    const base = await released();
    const near = await draft([on(base.modelVersionId, 'finetune')]);
    const far = await draft([on(near.modelVersionId, 'adapter')]);
    // 999 more children of the base, written directly: with `near`, 1,000 at depth 1 and `far` beyond them.
    const db = new Client({ connectionString: stack.config.DATABASE_URL });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO model_versions (developer_organisation_id, name, version, base_models)
         SELECT developer_organisation_id, 'sibling-' || g, '1.0', jsonb_build_array(jsonb_build_object('modelVersionId', id::text, 'relation', 'quantized'))
           FROM model_versions, generate_series(1, 999) g WHERE id = $1`,
        [base.modelVersionId],
      );
    } finally {
      await db.end();
    }

    const graph = expectOk(await world.regulator.http.get(`/v1/lineage/${base.modelVersionId}`));
    expect(graph.truncated).toBe(true);
    expect(graph.nodes).toHaveLength(1001);
    expect(graph.nodes.filter((n: { depth: number }) => n.depth === 1)).toHaveLength(1000);
    expect(graph.nodes.map((n: { modelVersionId: string }) => n.modelVersionId)).not.toContain(far.modelVersionId);
    const fromNear = expectOk(await world.regulator.http.get(`/v1/lineage/${near.modelVersionId}`));
    expect(fromNear.truncated).toBe(false);
    expect(fromNear.nodes.map((n: { modelVersionId: string; depth: number }) => [n.modelVersionId, n.depth])).toEqual(
      expect.arrayContaining([[base.modelVersionId, -1], [near.modelVersionId, 0], [far.modelVersionId, 1]]),
    );
    expect(fromNear.nodes).toHaveLength(3);

    const record = (await waitForOk(() => stack.http.get(`/v1/public/registry?caseId=${base.caseId}&limit=1`), (page) => page.items.length > 0, { what: 'record' })).items[0]!.id;
    expect(expectOk(await stack.http.get(`/v1/public/registry/${record}/lineage`))).toEqual({ ancestors: [], descendants: [], truncated: true });
  });
});
