/**
 * Registry log appends: entries through the production sequencer (LogSequencer) into a fresh
 * database, with the production checkpoint signer (LogCheckpointSigner) polling beside it as the
 * worker does, measuring entries/s and the time from an entry's commit to the commit of the first
 * checkpoint that covers it.
 *
 *   npm run bench:tlog                              100,000 entries, 8 appenders, 1 entry per transaction
 *   npm run bench:tlog -- --entries=100000 --appenders=8 --batch=10
 *
 * Options (flag or environment): --entries / BENCH_ENTRIES, --appenders / BENCH_APPENDERS,
 * --batch / BENCH_BATCH (entries per transaction), --entry-bytes / BENCH_ENTRY_BYTES (1500, a
 * typical record), BENCH_DATABASE_BASE_URL (loopback only).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '@app/config';
import { MIGRATIONS } from '@app/migrations';
import { RegistryRepository, TransparencyLogRepository, createDataSource, dropDatabase, migrateDatabase } from '@app/persistence';
import { LogCheckpointSigner, LogSequencer, RegistrySigningKeyService, logEntryBytes } from '@app/registry';
import { assertLoopback, option } from './support/options.js';
import { Samples, fmt } from './support/stats.js';

const settings = {
  entries: Number(option('entries', 'BENCH_ENTRIES', '100000')),
  appenders: Number(option('appenders', 'BENCH_APPENDERS', '8')),
  batch: Number(option('batch', 'BENCH_BATCH', '1')),
  entryBytes: Number(option('entry-bytes', 'BENCH_ENTRY_BYTES', '1500')),
  databaseBaseUrl: process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};

const main = async (): Promise<void> => {
  assertLoopback(settings.databaseBaseUrl);
  const url = new URL(settings.databaseBaseUrl);
  url.pathname = `/clearance_bench_tlog_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await migrateDatabase(databaseUrl, MIGRATIONS);
  const dataSource = await createDataSource(databaseUrl, [], settings.appenders + 2).initialize();
  const config = parseConfig({ DATABASE_URL: databaseUrl });
  const log = new TransparencyLogRepository(dataSource);
  const sequencer = new LogSequencer(log);
  const signer = new LogCheckpointSigner(dataSource, config, log, new RegistrySigningKeyService(dataSource, config, new RegistryRepository(dataSource)));

  const committedAt: number[] = new Array<number>(settings.entries);
  const latency = new Samples();
  let covered = 0;
  let next = 0;
  let done = false;
  let checkpoints = 0;

  const checkpointLoop = async () => {
    while (!done || covered < next) {
      const { checkpoint } = await signer.signIfGrown();
      if (checkpoint) {
        const now = performance.now();
        checkpoints++;
        for (; covered < checkpoint.size; covered++) latency.add(now - committedAt[covered]!);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.floor(config.REGISTRY_CHECKPOINT_MS / 10)));
    }
  };
  const pad = 'r'.repeat(Math.max(0, settings.entryBytes - 40));
  const appender = async () => {
    while (next < settings.entries) {
      const count = Math.min(settings.batch, settings.entries - next);
      next += count;
      const batch = Array.from({ length: count }, (_, i) => ({ kind: 'bench', bytes: logEntryBytes({ kind: 'bench', i, pad }) }));
      const { firstIndex } = await dataSource.transaction((db) => sequencer.append(db, batch));
      const now = performance.now();
      for (let i = 0; i < count; i++) committedAt[firstIndex + i] = now;
    }
  };

  try {
    const checkpointing = checkpointLoop();
    const started = performance.now();
    await Promise.all(Array.from({ length: settings.appenders }, appender));
    const elapsed = performance.now() - started;
    done = true;
    await checkpointing;
    const size = (await log.state()).size;
    console.log(
      `entries ${size} in ${(elapsed / 1000).toFixed(1)} s: ${Math.round(size / (elapsed / 1000))} entries/s ` +
        `(${settings.appenders} appenders, ${settings.batch} per transaction, ${settings.entryBytes} bytes each); ${checkpoints} checkpoints`,
    );
    console.log(`commit → covering checkpoint: p50 ${fmt(latency.percentile(50))} ms, p99 ${fmt(latency.percentile(99))} ms, max ${fmt(latency.percentile(100))} ms`);
  } finally {
    await dataSource.destroy();
    await dropDatabase(databaseUrl);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
