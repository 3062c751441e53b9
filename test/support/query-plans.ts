import { DataSource, type EntityManager } from 'typeorm';
import type { TestStack } from './stack.js';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** The relations a plan reads whole by a sequential scan. */
export const scannedWhole = (plan: PlanNode[]): Array<string | undefined> => plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);

/**
 * The tables or indexes a plan reads whole: a sequential scan, or an index scan with no condition
 * (which, with sequential scans priced out, is how a planner reads a table no index serves). For a
 * lookup; a page in an index's order legitimately walks it unconditioned up to its LIMIT.
 */
export const readWhole = (plan: PlanNode[]): Array<string | undefined> =>
  plan
    .filter((n) => n['Node Type'] === 'Seq Scan' || (/Index/.test(n['Node Type']) && n['Index Cond'] === undefined))
    .map((n) => n['Relation Name'] ?? n['Index Name']);

/**
 * The plan (its nodes, flattened) of every statement `run` sends through the EntityManager it is
 * given, explained instead of run (each answers no rows), in a session where sequential scans and
 * (unless `sorts`) sorts are priced out. A test database's tables are small, so a planner left
 * alone would scan them; priced out, it takes an index wherever one fits, and a `Seq Scan` or a
 * `Sort` left in a plan means no index serves the statement.
 */
export const plansOf = async (stack: TestStack, run: (db: EntityManager) => Promise<unknown>, options: { sorts: boolean } = { sorts: false }): Promise<PlanNode[][]> => {
  const runner = stack.api.get(DataSource).createQueryRunner();
  const plans: PlanNode[][] = [];
  try {
    await runner.query('SET enable_seqscan = off');
    if (!options.sorts) await runner.query('SET enable_sort = off');
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
    // The api's pooled connection goes back with its own settings.
    await runner.query('RESET enable_seqscan');
    await runner.query('RESET enable_sort');
    await runner.release();
  }
  return plans;
};
