/**
 * The plans behind `npm run bench:scale`'s case lists: `EXPLAIN (ANALYZE, BUFFERS)` of the SQL that
 * CaseQueryRepository sends for each queue and filter, against a database filled by `npm run seed:scale`.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/clearance_scale node dist/bench/scale-explain.js --tokens=seed-scale-tokens.json
 *
 * Options: --only (a substring of the request names), --full (print whole plans, not only the summary line).
 */
import { readFileSync } from 'node:fs';
import { CaseQueryRepository, createDataSource, type CaseListFilter, type CaseListOrder, type Db } from '@app/persistence';
import { CASE_STATES, FINAL_STATES } from '@app/workflow';
import { option } from './support/options.js';

interface SeededUser {
  id: string;
  role: string;
  organisationId: string;
}

const main = async () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL names the seeded database');
  const users = (JSON.parse(readFileSync(option('tokens', 'BENCH_TOKENS', 'seed-scale-tokens.json'), 'utf8')) as { users: SeededUser[] }).users;
  const only = option('only', 'BENCH_ONLY', '');
  const full = process.argv.includes('--full');
  const developer = users.find((u) => u.role === 'developer')!;
  const auditor = users.find((u) => u.role === 'auditor')!;
  const all = { kind: 'all' } as const;
  const requests: Array<[string, CaseListFilter, CaseListOrder, number?]> = [
    ...CASE_STATES.filter((s) => !FINAL_STATES.includes(s)).map((state): [string, CaseListFilter, CaseListOrder] => [`queue ${state}`, { scope: all, states: [state] }, 'state_entered']),
    ['queue overdue', { scope: all, overdue: true }, 'overdue'],
    // The dashboard's queue page asks for 200 rows at a time.
    ['dashboard: queue in_audit, 200 rows', { scope: all, states: ['in_audit'] }, 'state_entered', 201],
    ['dashboard: queue overdue, 200 rows', { scope: all, overdue: true }, 'overdue', 201],
    ['cases', { scope: all }, 'created'],
    ['cases ?state=in_audit', { scope: all, states: ['in_audit'] }, 'created'],
    ['cases ?tier=critical', { scope: all, tier: 'critical' }, 'created'],
    ['cases ?developerOrganisationId', { scope: all, developerOrganisationId: developer.organisationId }, 'created'],
    ['cases ?overdue=true', { scope: all, overdue: true }, 'created'],
    ['cases ?overdue=false', { scope: all, overdue: false }, 'created'],
    ['cases ?sort=deadline', { scope: all }, 'deadline'],
    ['cases ?state=in_audit&sort=deadline', { scope: all, states: ['in_audit'] }, 'deadline'],
    ['cases ?tier=high&overdue=true', { scope: all, tier: 'high', overdue: true }, 'created'],
    ['cases (developer)', { scope: { kind: 'organisation', organisationId: developer.organisationId } }, 'created'],
    ['cases (developer) ?state=draft', { scope: { kind: 'organisation', organisationId: developer.organisationId }, states: ['draft'] }, 'created'],
    ['cases (developer) ?sort=deadline', { scope: { kind: 'organisation', organisationId: developer.organisationId } }, 'deadline'],
    ['cases (auditor)', { scope: { kind: 'auditor', auditorId: auditor.id } }, 'created'],
    ['cases (auditor) ?state=in_audit', { scope: { kind: 'auditor', auditorId: auditor.id }, states: ['in_audit'] }, 'created'],
    ['cases (auditor) ?sort=deadline', { scope: { kind: 'auditor', auditorId: auditor.id } }, 'deadline'],
    ['cases (auditor) ?overdue=true', { scope: { kind: 'auditor', auditorId: auditor.id }, overdue: true }, 'created'],
  ];
  const dataSource = await createDataSource(url, [], 1).initialize();
  try {
    const repository = new CaseQueryRepository(dataSource);
    for (const [name, filter, order, limit = 51] of requests.filter(([n]) => n.includes(only))) {
      // Each statement is explained, then run for its rows (a list by deadline sends a second one only when the first leaves the page short).
      const plans: string[][] = [];
      const explain = {
        query: async (sql: string, params: unknown[]) => {
          const rows = (await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)) as Array<{ 'QUERY PLAN': string }>;
          plans.push(rows.map((r) => r['QUERY PLAN']));
          return dataSource.query(sql, params);
        },
      } as unknown as Db;
      await repository.list(filter, order, null, limit, explain);
      for (const [i, plan] of plans.entries()) {
        const time = plan.find((line) => line.startsWith('Execution Time'));
        const buffers = plan.find((l) => l.includes('Buffers:'))?.trim();
        process.stdout.write(`${(i ? '  then' : name).padEnd(40)} ${time}  ${buffers ?? ''}\n`);
        if (full) process.stdout.write(`${plan.join('\n')}\n\n`);
      }
    }
  } finally {
    await dataSource.destroy();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`scale-explain failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
