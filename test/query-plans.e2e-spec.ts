import { describe, expect, it } from '@jest/globals';
import { DataSource, type EntityManager } from 'typeorm';
import { CaseRepository, ModelVersionRepository, WebhookRepository } from '@app/persistence';
import { useSuite } from './support/suite.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
const scannedWhole = (plan: PlanNode[]) => plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
const ID = '00000000-0000-0000-0000-000000000001';

/**
 * Lists that must not read or sort a whole table at scale. On a test database every table is
 * small, so a plan is read with sequential scans and sorts priced out of reach: if an index can
 * give the rows in the list's order, the planner takes it.
 */
describe('query plans', () => {
  const suite = useSuite();

  /** The plan of every statement `run` sends, run in a session where scans and sorts are a last resort. */
  const plansOf = async (run: (db: EntityManager) => Promise<unknown>): Promise<PlanNode[][]> => {
    const runner = suite.stack.api.get(DataSource).createQueryRunner();
    const plans: PlanNode[][] = [];
    try {
      await runner.query('SET enable_seqscan = off');
      await runner.query('SET enable_sort = off');
      const explaining = Object.create(runner.manager, {
        query: {
          value: async (sql: string, parameters?: unknown[]) => {
            const [{ 'QUERY PLAN': [plan] }] = await runner.manager.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters);
            plans.push(nodes(plan.Plan));
            return [];
          },
        },
      }) as EntityManager;
      await run(explaining);
    } finally {
      await runner.query('RESET ALL');
      await runner.release();
    }
    return plans;
  };

  it("pages the admin's webhook deliveries in creation order by an index, with and without a status, first page and after", async () => {
    const webhooks = suite.stack.api.get(WebhookRepository);
    const after: [string, string] = [new Date().toISOString(), '00000000-0000-0000-0000-000000000000'];
    for (const status of [undefined, 'dead'])
      for (const cursor of [null, after]) {
        const [plan] = await plansOf((db) => webhooks.listDeliveries(status, cursor, 51, db));
        expect(plan!.filter((n) => n['Relation Name'] === 'webhook_deliveries').map((n) => n['Node Type'])).toEqual([expect.stringMatching(/Index/)]);
        expect(plan!.map((n) => n['Node Type'])).not.toContain('Sort');
      }
  });

  it('finds model versions and their cases by index: the lineage walks, an import\'s lookups, intake\'s ancestry, a flag\'s reassessment', async () => {
    const models = suite.stack.api.get(ModelVersionRepository);
    const cases = suite.stack.api.get(CaseRepository);
    const plans = await plansOf(async (db) => {
      await models.lineage(ID, 1000, db);
      await models.descendantsAtAnyDepth(ID, db);
      await models.ancestorsWithState(ID, db);
      await models.withChecksumOrName(['a'.repeat(64)], ['model'], db);
      await cases.casesOfModelVersions([ID], ['cleared', 'released'], db);
    });
    expect(plans).toHaveLength(5);
    for (const plan of plans) expect(scannedWhole(plan)).toEqual([]);
  });
});
