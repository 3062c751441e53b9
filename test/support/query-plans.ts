import { DataSource, type EntityManager } from 'typeorm';
import type { TestStack } from './stack.js';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** The relations a plan reads whole. */
export const scannedWhole = (plan: PlanNode[]): Array<string | undefined> => plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);

/**
 * The plan (its nodes, flattened) of every statement `run` sends through the EntityManager it is
 * given, explained instead of run (each answers no rows), in a session where sequential scans and
 * sorts are priced out. A test database's tables are small, so a planner left alone would scan
 * them; priced out, it takes an index wherever one fits, and a `Seq Scan` or a `Sort` left in a
 * plan means no index serves the statement.
 */
export const plansOf = async (stack: TestStack, run: (db: EntityManager) => Promise<unknown>): Promise<PlanNode[][]> => {
  const runner = stack.api.get(DataSource).createQueryRunner();
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
