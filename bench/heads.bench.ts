/**
 * Heads entries over many cases: the production HeadsEntryService (tree kept in Postgres, one
 * path rewritten per changed head) on a fresh database seeded with N cases, timing the initial
 * build, then one heads entry after each batch of changed heads and of new cases, and a full
 * recomputation from every leaf for comparison (its root must equal the incremental one).
 *
 *   npm run bench:heads                              1,000,000 cases; batches of 1, 100, 1,000, 10,000
 *   npm run bench:heads -- --cases=100000 --changes=1,1000
 *
 * Options (flag or environment): --cases / BENCH_CASES, --changes / BENCH_CHANGES (comma-separated
 * batch sizes), BENCH_DATABASE_BASE_URL (loopback only). Seeding writes the rows directly with
 * foreign keys and triggers off (session_replication_role = replica), as the bench's superuser.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { parseConfig } from '@app/config';
import { MIGRATIONS } from '@app/migrations';
import { CaseHeadsRepository, TransparencyLogRepository, createDataSource, dropDatabase, migrateDatabase } from '@app/persistence';
import { HeadsEntryService, LogSequencer, headsLeafBytes } from '@app/registry';
import { leafHash, merkleRoot } from '@app/tlog';
import { assertLoopback, option } from './support/options.js';
import { fmt } from './support/stats.js';

const settings = {
  cases: Number(option('cases', 'BENCH_CASES', '1000000')),
  changes: option('changes', 'BENCH_CHANGES', '1,100,1000,10000').split(',').map(Number),
  databaseBaseUrl: process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};

const HEADS_MS = 100;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` cases created one millisecond apart, each with a head at seq 1 queued as the history trigger would. */
const seedCases = async (dataSource: DataSource, count: number): Promise<void> => {
  await dataSource.transaction(async (db) => {
    await db.query(`SET LOCAL session_replication_role = replica`);
    await db.query(
      `INSERT INTO cases (id, model_version_id, developer_organisation_id, state, is_final, workflow_version, policy_pack_id,
                          policy_pack_version, context, created_by, created_at, head_hash, last_seq)
       SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'released', true, 'bench', 'bench', '1', '{}', gen_random_uuid(),
              timestamptz '2026-01-01' + make_interval(secs => (n + coalesce((SELECT count(*) FROM cases), 0)) / 1000.0), '', 1
         FROM generate_series(1, $1) AS n`,
      [count],
    );
  });
  await dataSource.query(
    `INSERT INTO case_heads_changes (case_id, seq, hash)
     SELECT c.id, 1, encode(sha256(convert_to(c.id::text, 'UTF8')), 'hex') FROM cases c
      WHERE NOT EXISTS (SELECT 1 FROM case_heads_leaves l WHERE l.case_id = c.id)`,
  );
};

/** Moves the heads of `count` random cases one seq on. */
const changeHeads = async (dataSource: DataSource, count: number): Promise<void> => {
  await dataSource.query(
    `INSERT INTO case_heads_changes (case_id, seq, hash)
     SELECT case_id, seq + 1, encode(sha256(convert_to(case_id::text || (seq + 1), 'UTF8')), 'hex')
       FROM case_heads_leaves ORDER BY random() LIMIT $1`,
    [count],
  );
};

const main = async (): Promise<void> => {
  Logger.overrideLogger(['error', 'warn']);
  assertLoopback(settings.databaseBaseUrl);
  const url = new URL(settings.databaseBaseUrl);
  url.pathname = `/clearance_bench_heads_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await migrateDatabase(databaseUrl, MIGRATIONS);
  const dataSource = await createDataSource(databaseUrl, [], 4).initialize();
  const config = parseConfig({ DATABASE_URL: databaseUrl, REGISTRY_HEADS_MS: String(HEADS_MS) });
  const log = new TransparencyLogRepository(dataSource);
  const heads = new CaseHeadsRepository(dataSource);
  const service = new HeadsEntryService(dataSource, config, heads, new LogSequencer(log));

  /** Times one heads entry (waiting first until it is due). */
  const entry = async (what: string) => {
    await pause(HEADS_MS);
    const started = performance.now();
    const appended = await service.appendIfDue();
    const ms = performance.now() - started;
    if (!appended) throw new Error(`${what}: no heads entry was appended`);
    console.log(`${what}: ${fmt(ms)} ms (heads entry at log index ${appended.logIndex}, ${appended.count} cases, ${appended.changed} changed)`);
    return appended;
  };

  try {
    let started = performance.now();
    await seedCases(dataSource, settings.cases);
    console.log(`seeded ${settings.cases} cases in ${fmt(performance.now() - started)} ms`);
    await entry(`initial build over ${settings.cases} cases`);
    for (const count of settings.changes) await changeHeads(dataSource, count).then(() => entry(`${count} changed heads`));
    for (const count of settings.changes) await seedCases(dataSource, count).then(() => entry(`${count} new cases`));

    started = performance.now();
    const leaves: Array<{ caseId: string; seq: number; hash: string }> = await dataSource.query(
      `SELECT case_id AS "caseId", seq, hash FROM case_heads_leaves ORDER BY position`,
    );
    const read = performance.now() - started;
    const root = merkleRoot(leaves.map((l) => leafHash(headsLeafBytes(l.caseId, l.seq, l.hash))));
    const full = performance.now() - started;
    const state = await heads.state();
    if (!root.equals(state.root)) throw new Error('the incremental heads root differs from the full recomputation');
    console.log(`full recomputation over ${leaves.length} leaves (for comparison): ${fmt(full)} ms (${fmt(read)} ms reading them); roots equal`);
  } finally {
    await dataSource.destroy();
    await dropDatabase(databaseUrl);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
