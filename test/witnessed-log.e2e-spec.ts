import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { parseWitnessConfig } from '@app/config';
import { dropDatabase } from '@app/persistence';
import { LogSequencer, logEntryBytes } from '@app/registry';
import { currentTestEnvironment, waitFor } from '@app/testing';
import { ed25519Cosigner, parseCheckpoint, parseNote } from '@app/tlog';
import { createWorker } from '../apps/worker/src/bootstrap.js';
import { startWitness, type RunningWitness } from '../apps/witness/src/witness.app.js';
import { expectOk } from './support/case-driver.js';
import { forkRegistryLogForTest } from './support/log-fork.js';
import { startStack, testConfig, type TestStack } from './support/stack.js';
import { createWorld, type World } from './support/world.js';

const BIN = join(process.cwd(), 'bin/clearance-verify.js');
const BUILT = join(process.cwd(), 'dist/apps/verify/src/clearance-verify.js');
const ORIGIN = 'clearance.example/registry';
const WITNESS_NAME = 'witness.test.example/e2e';

/**
 * SPEC "The public registry as a transparency log", the witness paragraph, end to end: the worker
 * pushes each checkpoint it signs to a real witness (in-process, its own role and schema) over HTTP,
 * the api serves the checkpoint with the cosignature, `clearance-verify checkpoint` checks it with a
 * quorum; then the log is forced to fork and the witness refuses, alerts, and regulators are told.
 * Its own database: the fork would break every other suite's log.
 */
describe('witnessed registry log: checkpoints cosigned by a witness, and a forced fork refused and reported', () => {
  const database = (() => {
    const url = new URL(currentTestEnvironment().databaseUrl);
    url.pathname = `${url.pathname}_witnessed`;
    return url.toString();
  })();
  const dir = mkdtempSync(join(tmpdir(), 'clearance-witnessed-'));
  let stack: TestStack;
  let world: World;
  let worker: INestApplicationContext;
  let witness: RunningWitness;
  let logKey: string;
  let owner: pg.Client;
  /** A witness that accepts connections and never answers: it must not hold up signing or the other witness. */
  let hung: { server: Server; sockets: Set<Socket>; requests: string[]; url: string };
  const witnessLog: Array<Record<string, unknown>> = [];
  /** Entries appended by the test, so the log grows without running cases through an audit. */
  let appended = 0;

  const save = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  /** `npx clearance-verify …` as a third party runs it, on files saved from the api. */
  const verify = (...argv: string[]) => {
    const run = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8' });
    return { code: run.status, out: run.stdout, err: run.stderr };
  };
  const append = async (count: number) => {
    const entries = Array.from({ length: count }, (_, i) => ({ kind: 'test', bytes: logEntryBytes({ kind: 'test', n: appended + i }) }));
    appended += count;
    const { size } = await worker.get(DataSource).transaction((db) => worker.get(LogSequencer, { strict: false }).append(db, entries));
    return size;
  };
  const servedCheckpoint = async () => {
    const response = await stack.http.get('/v1/public/log/checkpoint');
    return response.status === 200 ? expectOk(response) : '';
  };
  const sizeOf = (note: string) => parseCheckpoint(parseNote(note).text).size;
  const signatureLines = (note: string) => note.slice(note.indexOf('\n\n') + 2).split(/(?<=\n)/).filter((line) => line.length > 0);
  const witnessCosignedSize = async () =>
    Number((await owner.query(`SELECT tree_size FROM witness.logs WHERE origin = $1`, [ORIGIN])).rows[0]?.tree_size ?? 0);
  const alertMetric = async (kind: string): Promise<number> => {
    const text = await (await fetch(`${witness.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`witness_alerts_total{origin="${ORIGIN}",kind="${kind}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  beforeAll(async () => {
    stack = await startStack({ worker: false, env: { DATABASE_URL: database } });
    world = await createWorld(stack.http);
    logKey = expectOk(await stack.http.get('/v1/public/log/key')).trim();

    const logger = pino({ level: 'info', base: { service: 'witness' } }, { write: (line: string) => void witnessLog.push(JSON.parse(line)) });
    witness = await startWitness(
      parseWitnessConfig({ DATABASE_URL: database, WITNESS_PORT: '0', WITNESS_NAME, WITNESS_LOG_KEYS: logKey, LOG_LEVEL: 'silent' }),
      { host: '127.0.0.1', logger },
    );

    const sockets = new Set<Socket>();
    const requests: string[] = [];
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (chunk: Buffer) => requests.push(chunk.toString('utf8').split('\r\n')[0]!));
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hung = { server, sockets, requests, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };

    // The worker signs checkpoints and submits them to both witnesses (the hung one first), their keys pinned.
    const hungKey = ed25519Cosigner('hung.test.example/w', generateKeyPairSync('ed25519').privateKey).verifierKey;
    worker = await createWorker(
      testConfig({ DATABASE_URL: database, REGISTRY_WITNESSES: `${hung.url},${witness.url}`, REGISTRY_WITNESS_KEYS: `${hungKey},${witness.verifierKey}` }),
    );
    owner = new pg.Client({ connectionString: database });
    await owner.connect();
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    for (const socket of hung?.sockets ?? []) socket.destroy();
    await new Promise((resolve) => hung?.server.close(resolve));
    await witness?.close();
    await owner?.end();
    await stack?.close();
    await dropDatabase(database);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a signed checkpoint gets the witness cosignature, served with it, verified by clearance-verify with a quorum; without it the quorum fails', async () => {
    const size = await append(3);
    const note = await waitFor(servedCheckpoint, (text) => text !== '' && sizeOf(text) === size && signatureLines(text).length === 2, {
      timeoutMs: 15_000,
      what: `the checkpoint of size ${size} with a cosignature`,
    });
    // Signed and cosigned while the hung witness, listed first, holds the worker's submission unanswered.
    expect(hung.requests).toContain('POST /add-checkpoint HTTP/1.1');
    expect(hung.sockets.size).toBeGreaterThan(0);
    expect(signatureLines(note)[0]).toMatch(new RegExp(`^— ${ORIGIN} `));
    expect(signatureLines(note)[1]).toMatch(new RegExp(`^— ${WITNESS_NAME.replaceAll('.', '\\.')} `));
    expect(await witnessCosignedSize()).toBe(size);

    const witnesses = expectOk(await stack.http.get('/v1/public/log/witnesses'));
    expect(witnesses).toEqual([{ name: WITNESS_NAME, verifierKey: witness.verifierKey }]);

    expect(existsSync(BUILT)).toBe(true);
    const checkpointFile = save('checkpoint.txt', note);
    const verified = verify('checkpoint', checkpointFile, '--log-key', logKey, '--witness-key', witnesses[0]!.verifierKey, '--quorum', '1');
    expect(verified.err).toBe('');
    expect(verified.out).toContain(`✓ checkpoint cosigned by witness ${WITNESS_NAME}+`);
    expect(verified.out).toContain('✓ witness quorum on the checkpoint: 1 of 1 witnesses cosigned, 1 needed');
    expect(verified.code).toBe(0);

    // The same checkpoint with the witness's line dropped: the log signature still verifies, the quorum does not.
    const dropped = note.split(/(?<=\n)/).filter((line) => !line.startsWith(`— ${WITNESS_NAME} `)).join('');
    expect(dropped).not.toBe(note);
    const below = verify('checkpoint', save('dropped.txt', dropped), '--log-key', logKey, '--witness-key', witness.verifierKey, '--quorum', '1');
    expect(below.code).toBe(1);
    expect(below.out).toMatch(/✓ checkpoint \(size \d+, root .*\) signed by the log key/);
    expect(below.err).toContain(
      `FAILED: witness quorum on the checkpoint: 0 of 1 witnesses cosigned, 1 needed: below quorum (no cosignature by ${witness.verifierKey.split('+').slice(0, 2).join('+')})`,
    );

    // Growth is cosigned from the size the witness holds (consistency proof), each checkpoint in turn.
    const grown = await append(5);
    await waitFor(servedCheckpoint, (text) => sizeOf(text) === grown && signatureLines(text).length === 2, { timeoutMs: 15_000, what: 'the grown checkpoint cosigned' });
    expect(await witnessCosignedSize()).toBe(grown);
  });

  it('a forced fork (a rewritten tile) is signed by the log, refused by the witness with an alert, a log line and a metric, and regulators are told', async () => {
    const cosigned = await witnessCosignedSize();
    expect(cosigned).toBeGreaterThan(0);
    const before = await servedCheckpoint();
    expect(sizeOf(before)).toBe(cosigned);
    const metricBefore = await alertMetric('inconsistent-proof');

    await forkRegistryLogForTest(database);
    const forkedSize = await append(2);
    // The log signs the forked tree (it has no way to know); no witness cosigns it.
    const forked = await waitFor(servedCheckpoint, (text) => sizeOf(text) === forkedSize, { timeoutMs: 15_000, what: 'the forked checkpoint' });

    // The regulator sees the alert with its evidence, and a notice in the inbox.
    const alert = await waitFor(
      async () => expectOk(await world.regulator.http.get('/v1/witness-alerts?limit=10')).items.find((a) => a.origin === ORIGIN),
      (found) => found !== undefined,
      { timeoutMs: 15_000, what: 'the witness alert' },
    );
    // C2SP tlog-witness: a consistency proof that does not verify is 422; the witness cannot tell a fork from a bad proof.
    expect(alert).toMatchObject({ origin: ORIGIN, kind: 'inconsistent-proof', cosignedSize: cosigned, cosignedCheckpoint: expect.stringContaining(`\n${cosigned}\n`) });
    expect(alert!.submittedCheckpoint).toBe(forked);
    const notice = await waitFor(
      async () => expectOk(await world.regulator.http.get('/v1/notifications')).items.find((n) => n.eventType === 'WITNESS_ALERT'),
      (found) => found !== undefined,
      { timeoutMs: 15_000, what: "the regulator's WITNESS_ALERT notice" },
    );
    expect(notice).toMatchObject({ caseId: null, seq: null, toState: null, readAt: null });
    expect(notice!.reason).toContain(`the witness refused to cosign the registry log ${ORIGIN} (inconsistent-proof)`);
    // Only regulators are told.
    expect(expectOk(await world.developer.http.get('/v1/notifications')).items.filter((n) => n.eventType === 'WITNESS_ALERT')).toEqual([]);

    // The witness's own alert: an error log line and the metric.
    expect(witnessLog.find((line) => line.msg === `witness alert: inconsistent-proof of log ${ORIGIN}`)).toMatchObject({
      level: 50,
      alert: { kind: 'inconsistent-proof', origin: ORIGIN, cosignedSize: cosigned, submittedSize: forkedSize },
    });
    expect(await alertMetric('inconsistent-proof')).toBeGreaterThan(metricBefore);

    // The witness kept what it cosigned; the served forked checkpoint carries the log's signature alone.
    expect(await witnessCosignedSize()).toBe(cosigned);
    expect(signatureLines(forked)).toHaveLength(1);
    // A verifier holding the cosigned checkpoint catches the fork with the consistency proof the log serves.
    const proof = expectOk(await stack.http.get(`/v1/public/log/consistency?from=${cosigned}&to=${forkedSize}`));
    const caught = verify('consistency', save('old.txt', before), save('new.txt', forked), '--log-key', logKey, '--proof', save('proof.json', JSON.stringify(proof)));
    expect(caught.code).toBe(1);
    expect(caught.err).toContain('FAILED: consistency: the tree of size');
    expect(caught.err).toContain('fork: the proof does not link the two roots');
  });
});
