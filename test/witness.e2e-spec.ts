import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import { parseWitnessConfig, witnessDatabaseRole } from '@app/config';
import {
  consistencyProof,
  ed25519NoteSigner,
  encodeAddCheckpointRequest,
  hashAtFromLeafHashes,
  leafHash,
  merkleRoot,
  signCheckpoint,
} from '@app/tlog';
import { WitnessSubmitter, resolveWitnesses, witnessList } from '@app/witness-client';
import { startWitness, type RunningWitness } from '../apps/witness/src/witness.app.js';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

/**
 * SPEC "The public registry as a transparency log", the witness: a log built here with libs/tlog and
 * a test key, submitted to a real witness (in-process, its own role and schema) over HTTP.
 */

/** A log of one origin, built in the test: its leaves, signer and checkpoints. */
const testLog = (name: string, entries = 64, salt = '') => {
  const origin = `log.test.example/${name}`;
  const signer = ed25519NoteSigner(origin, generateKeyPairSync('ed25519').privateKey);
  const leaves = Array.from({ length: entries }, (_, i) => leafHash(Buffer.from(`${name} entry ${i}${salt}`)));
  const rootAt = (size: number) => merkleRoot(leaves.slice(0, size));
  return {
    origin,
    signer,
    leaves,
    rootAt,
    checkpoint: (size: number, rootHash: Uint8Array = rootAt(size), by = signer) => signCheckpoint({ origin, size, rootHash }, [by]),
    proof: (from: number, to: number) => (from === 0 || from === to ? [] : consistencyProof(from, to, hashAtFromLeafHashes(leaves))),
  };
};
type TestLog = ReturnType<typeof testLog>;

const LOGS = {
  growth: testLog('growth'),
  submitter: testLog('submitter'),
  fork: testLog('fork'),
  inconsistent: testLog('inconsistent'),
  shrink: testLog('shrink'),
  keys: testLog('keys'),
  concurrent: testLog('concurrent'),
} satisfies Record<string, TestLog>;

/** Verifies one cosignature line with node:crypto alone, against the witness's verifier key (C2SP tlog-cosignature). */
const verifyCosignature = (line: string, verifierKey: string, checkpointText: string): { timestamp: number } => {
  // The base64 key may itself hold '+': only the first two separate the name and the id.
  const [, name, idHex, keyBase64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(verifierKey) as unknown as [string, string, string, string];
  const key = Buffer.from(keyBase64, 'base64');
  expect(key[0]).toBe(0x04);
  const publicKey = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.subarray(1)]), format: 'der', type: 'spki' });
  const expectedId = createHash('sha256').update(Buffer.concat([Buffer.from(`${name}\n`), key])).digest().subarray(0, 4);
  expect(expectedId.toString('hex')).toBe(idHex);
  const match = /^— (\S+) (\S+)\n$/.exec(line);
  expect(match?.[1]).toBe(name);
  const bytes = Buffer.from(match![2]!, 'base64');
  expect(bytes.length).toBe(4 + 8 + 64);
  expect(bytes.subarray(0, 4).equals(expectedId)).toBe(true);
  const timestamp = Number(bytes.readBigUInt64BE(4));
  const message = Buffer.concat([Buffer.from(`cosignature/v1\ntime ${timestamp}\n`), Buffer.from(checkpointText)]);
  expect(verify(null, message, publicKey, bytes.subarray(12))).toBe(true);
  return { timestamp };
};

/** The note text of a signed checkpoint: everything before the blank line. */
const noteText = (signed: string) => signed.slice(0, signed.indexOf('\n\n') + 1);

describe('witness: C2SP tlog-witness add-checkpoint, cosignatures, and alerts on a fork or a shrink', () => {
  const suite = useSuite({ worker: false });
  let witness: RunningWitness;
  let owner: pg.Client;
  let witnessRole: string;
  /** The witness's structured log lines, as JSON objects. */
  const logLines: Array<Record<string, unknown>> = [];

  const add = async (body: string) => {
    const response = await fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  };
  const submit = (log: TestLog, oldSize: number, size: number, proof = log.proof(oldSize, size), checkpoint = log.checkpoint(size)) =>
    add(encodeAddCheckpointRequest({ oldSize, proof, checkpoint }));
  const alertsOf = async (origin: string) =>
    (await owner.query('SELECT kind, cosigned_size::int AS "cosignedSize", occurrences FROM witness.alerts WHERE origin = $1 ORDER BY first_seen_at', [origin])).rows;
  const alertMetric = async (origin: string, kind: string): Promise<number> => {
    const text = await (await fetch(`${witness.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`witness_alerts_total{origin="${origin}",kind="${kind}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };
  const cosignedSize = async (origin: string) =>
    (await owner.query('SELECT tree_size::int AS size FROM witness.logs WHERE origin = $1', [origin])).rows[0]?.size as number | undefined;

  beforeAll(async () => {
    const config = parseWitnessConfig({
      DATABASE_URL: suite.stack.config.DATABASE_URL,
      WITNESS_PORT: '0',
      WITNESS_NAME: 'witness.test.example/w1',
      WITNESS_LOG_KEYS: Object.values(LOGS)
        .map((log) => log.signer.verifierKey)
        .join(','),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    });
    witnessRole = witnessDatabaseRole(config).name;
    const logger = pino({ level: 'info', base: { service: 'witness' } }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    witness = await startWitness(config, { host: '127.0.0.1', logger });
    owner = new pg.Client({ connectionString: suite.stack.config.DATABASE_URL });
    await owner.connect();
  });
  afterAll(async () => {
    await witness?.close();
    await owner?.end();
  });

  it('cosigns a first checkpoint and consistent growth; each cosignature verifies with node:crypto against the witness key', async () => {
    const log = LOGS.growth;
    const first = await submit(log, 0, 5);
    expect(first.status).toBe(200);
    const { timestamp } = verifyCosignature(first.body, witness.verifierKey, noteText(log.checkpoint(5)));
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);

    const grown = await submit(log, 5, 13);
    expect(grown.status).toBe(200);
    verifyCosignature(grown.body, witness.verifierKey, noteText(log.checkpoint(13)));
    // The same checkpoint again is consistent with itself; a stale old size is 409 with the latest size.
    expect((await submit(log, 13, 13)).status).toBe(200);
    expect(await submit(log, 5, 20)).toEqual({ status: 409, contentType: 'text/x.tlog.size', body: '13\n' });
    expect(await cosignedSize(log.origin)).toBe(13);
    expect(await alertsOf(log.origin)).toEqual([]);
  });

  it('the log side submits through WitnessSubmitter: learns the key, retries a 409 from the reported size, merges the cosignature', async () => {
    const log = LOGS.submitter;
    const [endpoint] = await resolveWitnesses([`${witness.url}/`]);
    expect(endpoint).toEqual({ url: witness.url, verifierKey: witness.verifierKey });
    expect(witnessList([endpoint!])).toEqual([{ name: 'witness.test.example/w1', verifierKey: witness.verifierKey }]);

    const proofsAsked: Array<[number, number]> = [];
    const proofs = async (from: number, to: number) => {
      proofsAsked.push([from, to]);
      return log.proof(from, to);
    };
    const first = await new WitnessSubmitter([endpoint!], proofs).submit(log.checkpoint(8));
    expect(first.outcomes).toEqual([{ url: witness.url, status: 'cosigned', cosignatures: expect.stringMatching(/^— witness\.test\.example\/w1 /) }]);

    // A log that restarted forgets the witness's size: the 409 tells it, and it proves from there.
    const restarted = new WitnessSubmitter([endpoint!], proofs);
    const { checkpoint, outcomes } = await restarted.submit(log.checkpoint(21));
    expect(outcomes.map((o) => o.status)).toEqual(['cosigned']);
    expect(proofsAsked).toEqual([[8, 21]]);
    const lines = checkpoint.slice(checkpoint.indexOf('\n\n') + 2).split(/(?<=\n)/);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^— ${log.origin} `));
    verifyCosignature(lines[1]!, witness.verifierKey, noteText(log.checkpoint(21)));
    // Next time it proves from 21 straight away.
    expect((await restarted.submit(log.checkpoint(30))).outcomes.map((o) => o.status)).toEqual(['cosigned']);
    expect(proofsAsked).toEqual([[8, 21], [21, 30]]);
  });

  it('refuses a fork (a second root for the cosigned size) with 409, records the alert, counts it, and regulators see it', async () => {
    const log = LOGS.fork;
    expect((await submit(log, 0, 10)).status).toBe(200);
    const forked = testLog('fork', 64, ' (rewritten)');
    const before = await alertMetric(log.origin, 'fork');
    const forkedCheckpoint = log.checkpoint(10, forked.rootAt(10));

    const refused = await submit(log, 10, 10, [], forkedCheckpoint);
    expect(refused).toEqual({ status: 409, contentType: 'text/x.tlog.size', body: '10\n' });
    // From a stale old size too: the signed root contradicts the cosigned one whatever the request says.
    expect((await submit(log, 3, 10, log.proof(3, 10), forkedCheckpoint)).status).toBe(409);
    expect(await alertsOf(log.origin)).toEqual([{ kind: 'fork', cosignedSize: 10, occurrences: 2 }]);
    expect(await alertMetric(log.origin, 'fork')).toBe(before + 2);
    const logged = logLines.filter((l) => (l.alert as { origin?: string } | undefined)?.origin === log.origin);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ level: 50, service: 'witness', msg: `witness alert: fork of log ${log.origin}`, alert: { kind: 'fork', cosignedSize: 10, submittedSize: 10, repeated: false } });
    expect(logged[1]).toMatchObject({ alert: { repeated: true } });
    expect(await cosignedSize(log.origin)).toBe(10);

    const seen = await suite.world.regulator.http.get('/v1/witness-alerts?limit=100');
    expect(seen.status).toBe(200);
    const alert = expectOk(seen, 'witness alerts').items.find((a) => a.origin === log.origin);
    expect(alert).toMatchObject({
      origin: log.origin,
      kind: 'fork',
      cosignedSize: 10,
      cosignedCheckpoint: log.checkpoint(10),
      submittedCheckpoint: forkedCheckpoint,
      submittedProof: [],
      occurrences: 2,
    });
    expect(alert?.detail).toMatch(/size 10/);
    expect((await suite.world.developer.http.get('/v1/witness-alerts')).status).toBe(403);
    expect((await suite.stack.http.get('/v1/witness-alerts')).status).toBe(401);
  });

  it('refuses an inconsistent proof with 422 and alerts; a proof from the right tree is then cosigned', async () => {
    const log = LOGS.inconsistent;
    expect((await submit(log, 0, 7)).status).toBe(200);
    const other = testLog('inconsistent', 64, ' (other history)');
    // The log signs a larger tree that does not extend the cosigned one, with that tree's own proof.
    const refused = await submit(log, 7, 12, other.proof(7, 12), log.checkpoint(12, other.rootAt(12)));
    expect(refused.status).toBe(422);
    expect(await alertsOf(log.origin)).toEqual([{ kind: 'inconsistent-proof', cosignedSize: 7, occurrences: 1 }]);
    expect(await alertMetric(log.origin, 'inconsistent-proof')).toBe(1);
    expect(await cosignedSize(log.origin)).toBe(7);
    expect((await submit(log, 7, 12)).status).toBe(200);
  });

  it('refuses a shrink and alerts; a stale checkpoint, cosigned before or overtaken, is refused without an alert', async () => {
    const log = LOGS.shrink;
    const [endpoint] = await resolveWitnesses([witness.url]);
    const submitter = new WitnessSubmitter([endpoint!], async (from, to) => log.proof(from, to));
    expect((await submitter.submit(log.checkpoint(4))).outcomes.map((o) => o.status)).toEqual(['cosigned']);
    expect((await submitter.submit(log.checkpoint(9))).outcomes.map((o) => o.status)).toEqual(['cosigned']);
    // Replaying the size-4 checkpoint it cosigned, or a size-6 one overtaken by 9 (old size 4): stale, not misbehaviour.
    expect((await submit(log, 0, 4)).status).toBe(409);
    expect(await submit(log, 4, 6)).toEqual({ status: 409, contentType: 'text/x.tlog.size', body: '9\n' });
    expect(await alertsOf(log.origin)).toEqual([]);

    // The log offers size 6 as the successor of the 9 it had cosigned: 400 (old size above the new one), and an alert.
    const shrunk = await submitter.submit(log.checkpoint(6));
    expect(shrunk.outcomes).toEqual([{ url: witness.url, status: 'refused', httpStatus: 400, detail: expect.any(String) }]);
    expect(shrunk.checkpoint).toBe(log.checkpoint(6));
    expect((await submit(log, 9, 6, [])).status).toBe(400);
    expect(await alertsOf(log.origin)).toEqual([{ kind: 'shrink', cosignedSize: 9, occurrences: 2 }]);
    expect(await alertMetric(log.origin, 'shrink')).toBe(2);
    expect(await cosignedSize(log.origin)).toBe(9);
    // A submitter that never saw 9 learns it was overtaken, and stops there.
    const other = new WitnessSubmitter([endpoint!], async (from, to) => log.proof(from, to));
    expect((await other.submit(log.checkpoint(7))).outcomes).toEqual([{ url: witness.url, status: 'superseded', witnessSize: 9 }]);
    expect(await alertsOf(log.origin)).toHaveLength(1);
  });

  it('refuses a checkpoint signed by an unknown key (403), of an unknown origin (404) and a malformed body (400), with no alert and no state', async () => {
    const log = LOGS.keys;
    const impostor = ed25519NoteSigner(log.origin, generateKeyPairSync('ed25519').privateKey);
    expect((await submit(log, 0, 3, [], log.checkpoint(3, log.rootAt(3), impostor))).status).toBe(403);
    const stranger = testLog('stranger');
    expect((await submit(stranger, 0, 3)).status).toBe(404);
    expect((await add('old 0\nnot a checkpoint')).status).toBe(400);
    expect((await add(`old 01\n\n${log.checkpoint(3)}`)).status).toBe(400);
    expect((await fetch(`${witness.url}/add-checkpoint`)).status).toBe(405);
    expect(await cosignedSize(log.origin)).toBeUndefined();
    expect(await alertsOf(log.origin)).toEqual([]);
  });

  it('serialises concurrent submissions: one of a race wins, the rest get 409 with its size, and nothing rolls back', async () => {
    const log = LOGS.concurrent;
    const same = await Promise.all(Array.from({ length: 8 }, () => submit(log, 0, 6)));
    expect(same.filter((r) => r.status === 200)).toHaveLength(1);
    expect(same.filter((r) => r.status === 409).map((r) => r.body)).toEqual(Array(7).fill('6\n'));

    // Two growths from the same size race: the later one to commit is refused, the size never goes back.
    const raced = await Promise.all([submit(log, 6, 20), submit(log, 6, 11), submit(log, 6, 30), submit(log, 6, 16)]);
    const winners = raced.flatMap((r, i) => (r.status === 200 ? [[20, 11, 30, 16][i]] : []));
    expect(winners).toHaveLength(1);
    expect(raced.filter((r) => r.status === 409).map((r) => r.body)).toEqual(Array(3).fill(`${winners[0]}\n`));
    expect(await cosignedSize(log.origin)).toBe(winners[0]);
    expect(await alertsOf(log.origin)).toEqual([]);
  });

  // A Postgres restart ends every session with 57P01: an idle pooled connection's error, with no
  // listener on the pool, was thrown and ended the witness.
  it('keeps serving after the server ended the sessions of its connections (a database restart)', async () => {
    expect((await fetch(`${witness.url}/health`)).status).toBe(200);
    const { rows } = await owner.query<{ pid: number }>('SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [witnessRole]);
    expect(rows.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${witness.url}/health`)).status).toBe(200);
  });

  it("connects as its own login role: no superuser, owning nothing, nothing in public, and the app role reads only witness.alerts", async () => {
    await fetch(`${witness.url}/health`);
    const { rows: sessions } = await owner.query(
      `SELECT usename AS "user" FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'clearance-witness'`,
    );
    expect(sessions.length).toBeGreaterThan(0);
    expect(new Set(sessions.map((s) => s.user))).toEqual(new Set([witnessRole]));

    const [attributes] = (
      await owner.query(
        `SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
                (SELECT count(*)::int FROM pg_shdepend d WHERE d.refobjid = r.oid AND d.deptype = 'o') AS "ownedAnywhere",
                (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) + (SELECT count(*)::int FROM pg_namespace n WHERE n.nspowner = r.oid) AS "ownedHere",
                (SELECT count(*)::int FROM pg_auth_members m WHERE m.member = r.oid) AS memberships
           FROM pg_roles r WHERE r.rolname = $1`,
        [witnessRole],
      )
    ).rows;
    expect(attributes).toEqual({
      rolcanlogin: true,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
      ownedAnywhere: 0,
      ownedHere: 0,
      memberships: 0,
    });

    const privileges = async (role: string, schema: string) =>
      (
        await owner.query(
          `SELECT c.relname AS "table", array_remove(ARRAY[
                    CASE WHEN has_table_privilege($1, c.oid, 'SELECT') THEN 'SELECT' END, CASE WHEN has_table_privilege($1, c.oid, 'INSERT') THEN 'INSERT' END,
                    CASE WHEN has_table_privilege($1, c.oid, 'UPDATE') THEN 'UPDATE' END, CASE WHEN has_table_privilege($1, c.oid, 'DELETE') THEN 'DELETE' END,
                    CASE WHEN has_table_privilege($1, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END], NULL) AS granted
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $2 AND c.relkind = 'r' ORDER BY 1`,
          [role, schema],
        )
      ).rows.filter((r) => r.granted.length > 0);
    expect(await privileges(witnessRole, 'witness')).toEqual([
      { table: 'alerts', granted: ['SELECT', 'INSERT', 'UPDATE'] },
      { table: 'cosigned_trees', granted: ['SELECT', 'INSERT'] },
      { table: 'logs', granted: ['SELECT', 'INSERT', 'UPDATE'] },
      { table: 'signing_keys', granted: ['SELECT', 'INSERT'] },
    ]);
    expect(await privileges(witnessRole, 'public')).toEqual([]);
    expect(await privileges(suite.stack.config.DATABASE_APP_ROLE, 'witness')).toEqual([{ table: 'alerts', granted: ['SELECT'] }]);
    const { rows: schemas } = await owner.query(
      `SELECT has_schema_privilege($1, 'public', 'USAGE') AS "publicUsage", has_schema_privilege($1, 'public', 'CREATE') AS "publicCreate",
              has_schema_privilege($1, 'witness', 'CREATE') AS "witnessCreate"`,
      [witnessRole],
    );
    expect(schemas).toEqual([{ publicUsage: false, publicCreate: false, witnessCreate: false }]);

    // As the witness connects: case data is out of reach.
    const asWitness = new pg.Client({ connectionString: parseWitnessConfig({ DATABASE_URL: suite.stack.config.DATABASE_URL }).WITNESS_DATABASE_URL });
    await asWitness.connect();
    try {
      await expect(asWitness.query('SELECT count(*) FROM public.cases')).rejects.toMatchObject({ code: '42501' });
      await expect(asWitness.query('DELETE FROM witness.cosigned_trees')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await asWitness.end();
    }
  });
});
