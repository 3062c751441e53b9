import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { canonicalJson } from '@app/integrity';
import { currentTestEnvironment, expectProblem, waitFor, type HttpClient, type OkBody } from '@app/testing';
import { runVerify } from '../apps/verify/src/verify-cli.js';
import { expectOk } from './support/case-driver.js';
import { useSuite } from './support/suite.js';

type HistoryProof = OkBody<'/v1/cases/{id}/history/proof'>;

// An RFC 6962 root written here, not the server's incremental code, to recompute the heads tree.
const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const mth = (leaves: readonly Buffer[]): Buffer => {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};
const headLeaf = (caseId: string, seq: number, hash: string) =>
  sha256(Buffer.from([0]), Buffer.from(canonicalJson({ caseIdHash: createHash('sha256').update(caseId).digest('hex'), seq, hash })));

/** `heads` log entries: the case heads tree kept incrementally, proofs served to a case's readers, checked by clearance-verify. */
describe('heads entries and GET /v1/cases/:id/history/proof', () => {
  const suite = useSuite({ env: { REGISTRY_HEADS_MS: '300' } });
  const dir = mkdtempSync(join(tmpdir(), 'case-heads-e2e-'));
  const db = new pg.Pool({ connectionString: currentTestEnvironment().databaseUrl, max: 2 });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.end();
  });

  const save = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    return path;
  };
  const verify = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runVerify(argv, { out: (line) => out.push(line), err: (line) => out.push(line) });
    return { code, text: out.join('\n') };
  };
  const proofOf = (http: HttpClient, caseId: string) => http.get(`/v1/cases/${caseId}/history/proof`);
  /** The proof once the case's head at `seq` is in a heads entry that a checkpoint covers (409 until then). */
  const proofAt = async (http: HttpClient, caseId: string, seq: number): Promise<HistoryProof> => {
    const response = await waitFor(
      () => proofOf(http, caseId),
      (r) => r.status === 200 && (r.body as HistoryProof).head.seq === seq,
      { timeoutMs: 20_000, intervalMs: 100, what: `the history proof of ${caseId} at seq ${seq}` },
    );
    return expectOk(response);
  };
  const historyExport = async (http: HttpClient, caseId: string) => ({ items: expectOk(await http.get(`/v1/cases/${caseId}/history?limit=200`)).items });

  it('answers 409 not-yet-logged with Retry-After until a heads entry covers the case, and 404 to a non-reader', async () => {
    const { driver, world } = suite;
    // Hold the heads state row: the heads job queues behind it, so no entry can cover the new case.
    const holder = await db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM case_heads_state FOR UPDATE');
      const caseId = await driver.create();
      const refused = await proofOf(world.developer.http, caseId);
      expect(expectProblem(refused, 409).type).toMatch(/not-yet-logged$/);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(expectProblem(await proofOf(world.otherDeveloper.http, caseId), 404).status).toBe(404);
      await holder.query('COMMIT');
      const proof = await proofAt(world.developer.http, caseId, 0);
      expect(proof.headsEntry.kind).toBe('heads');
      expect(expectProblem(await proofOf(world.otherDeveloper.http, caseId), 404).status).toBe(404);
      expect(expectProblem(await proofOf(world.auditorA.http, caseId), 404).status).toBe(404);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
  });

  it('keeps a case at its position as its head moves; the root is the RFC 6962 root over every case head', async () => {
    const { driver, world } = suite;
    const caseId = await driver.create();
    const first = await proofAt(world.developer.http, caseId, 0);
    // A case without history yet commits its empty chain: seq 0 and the genesis hash.
    expect(first.head).toEqual({ seq: 0, hash: '0'.repeat(64) });
    await driver.submitThroughIntake(caseId);
    const history = await historyExport(world.regulator.http, caseId);
    const last = history.items.at(-1)!;
    const moved = await proofAt(world.regulator.http, caseId, last.seq);
    expect(moved.headsIndex).toBe(first.headsIndex);
    expect(moved.head.hash).toBe(last.hash);
    expect(moved.headsEntry.logIndex).toBeGreaterThan(first.headsEntry.logIndex);
    expect(moved.headsEntry.count).toBeGreaterThanOrEqual(first.headsEntry.count);

    // Recomputed from scratch, in one snapshot: every case in the tree, its leaf from its history, in position order.
    const reader = await db.connect();
    try {
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const [state] = (await reader.query(`SELECT count, encode(root, 'hex') AS root FROM case_heads_state`)).rows;
      const leaves = (
        await reader.query(
          `SELECT l.case_id AS "caseId", l.position, l.seq, coalesce(e.hash, repeat('0', 64)) AS hash FROM case_heads_leaves l
             LEFT JOIN case_events e ON e.case_id = l.case_id AND e.seq = l.seq ORDER BY l.position`,
        )
      ).rows as Array<{ caseId: string; position: string; seq: number; hash: string }>;
      await reader.query('COMMIT');
      expect(leaves.map((l) => Number(l.position))).toEqual(leaves.map((_, i) => i));
      expect(leaves).toHaveLength(Number(state.count));
      expect(mth(leaves.map((l) => headLeaf(l.caseId, l.seq, l.hash))).toString('hex')).toBe(state.root);
    } finally {
      reader.release();
    }
  });

  it('clearance-verify checks a paged history export against the proof and the checkpoint, and names what was changed', async () => {
    const { driver, world, stack } = suite;
    const caseId = await driver.create();
    await driver.submitThroughIntake(caseId);
    const history = await historyExport(world.developer.http, caseId);
    const proof = await proofAt(world.developer.http, caseId, history.items.at(-1)!.seq);
    const logKey = save('log.vkey', expectOk(await stack.http.get('/v1/public/log/key'), 'the log key'));
    const files = { history: save('history.json', history), proof: save('proof.json', proof) };

    const ok = await verify('history', files.history, '--case', caseId, '--proof', files.proof, '--log-key', logKey);
    expect(ok.text).toContain(`✓ case head leaf {caseIdHash, seq, hash} at index ${proof.headsIndex} of the heads tree of ${proof.headsEntry.count} cases`);
    expect(ok.text).toMatch(/✓ heads entry \(\d+ bytes\) included in the log at index/);
    expect(ok.code).toBe(0);

    // A changed history row (its hash left as served).
    const changedRow = history.items.map((row) => (row.seq === 2 ? { ...row, at: '2020-01-01T00:00:00.000Z' } : row));
    const rowCaught = await verify('history', save('changed-row.json', { items: changedRow }), '--case', caseId, '--proof', files.proof, '--log-key', logKey);
    expect(rowCaught.code).toBe(1);
    expect(rowCaught.text).toMatch(/FAILED: history row 2: its hash .* is not the hash of its content/);

    // A changed heads root: the leaf no longer leads to it.
    const otherRoot = { ...proof, headsEntry: { ...proof.headsEntry, root: createHash('sha256').update('forged').digest('hex') } };
    const rootCaught = await verify('history', files.history, '--case', caseId, '--proof', save('changed-root.json', otherRoot), '--log-key', logKey);
    expect(rootCaught.code).toBe(1);
    expect(rootCaught.text).toMatch(/FAILED: case head leaf .*heads tree/);

    // The whole chain rewritten consistently still fails: the logged head is not the recomputed row.
    const rewritten = await verify('history', save('short.json', { items: history.items.slice(0, -1) }), '--case', caseId, '--proof', files.proof, '--log-key', logKey);
    expect(rewritten.code).toBe(1);
    expect(rewritten.text).toMatch(/FAILED: history proof head seq/);
  });
});
