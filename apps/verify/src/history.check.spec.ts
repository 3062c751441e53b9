import { Buffer } from 'node:buffer';
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { canonicalJson } from '@app/integrity';
import { hashAtFromLeafHashes, inclusionProof, leafHash, merkleRoot } from '@app/tlog';
import { VerifyWorld, historyRows, verify, type HistoryRow } from './testing/verify-world.fixture.js';

const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');

describe('clearance-verify history', () => {
  let world: VerifyWorld;
  const caseId = randomUUID();
  let rows: HistoryRow[];
  beforeEach(() => {
    world = new VerifyWorld(2);
    rows = historyRows(caseId, 7);
  });
  afterEach(() => world.close());

  const run = (history: unknown, ...extra: string[]) => verify('history', world.file(history, 'history.json'), ...extra);

  /** A heads entry over 5 cases (ours at position 3, as of `seq`), logged between filler entries; the history proof. */
  const historyProof = (seq: number) => {
    const heads = Array.from({ length: 5 }, (_, i) =>
      i === 3 ? { caseIdHash: sha256Hex(caseId), seq, hash: rows[seq - 1].hash } : { caseIdHash: sha256Hex(randomUUID()), seq: i + 1, hash: sha256Hex(`head ${i}`) },
    );
    const headLeaves = heads.map((head) => leafHash(Buffer.from(canonicalJson(head), 'utf8')));
    const headsEntry = { kind: 'heads', at: '2026-11-30T12:01:00.000Z', count: heads.length, root: merkleRoot(headLeaves).toString('hex') };
    world.appendFiller(4);
    const logIndex = world.append(Buffer.from(canonicalJson(headsEntry), 'utf8'));
    world.appendFiller(2);
    return {
      head: { seq, hash: rows[seq - 1].hash },
      headsEntry: { ...headsEntry, logIndex },
      headsIndex: 3,
      headsInclusion: inclusionProof(3, heads.length, hashAtFromLeafHashes(headLeaves)).map((h) => h.toString('hex')),
      logInclusion: world.inclusion(logIndex),
      checkpoint: world.checkpoint(),
    };
  };
  const proofArgs = (proof: unknown, ...extra: string[]) => ['--proof', world.file(proof, 'history-proof.json'), '--log-key', world.logSigner.verifierKey, ...extra];

  it('recomputes and links every row of an export, as {items} or an array', async () => {
    for (const history of [{ items: rows }, rows]) {
      const result = await run(history, '--case', caseId);
      expect(result.err).toEqual([]);
      expect(result.code).toBe(0);
      expect(result.out).toEqual([
        `✓ history of case ${caseId}: 7 rows, each hash recomputed (SHA-256 of RFC 8785 JSON) and linked to the one before; head seq 7 ${rows[6].hash}`,
        'OK: history: all 1 checks passed',
      ]);
    }
  });

  it('catches a changed history row, naming it', async () => {
    const changed = rows.map((row) => (row.seq === 4 ? { ...row, payload: { ...row.payload, note: 'rewritten' } } : row));
    const result = await run({ items: changed }, '--case', caseId);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringMatching(/^clearance-verify: FAILED: history row 4: its hash [0-9a-f]{64} is not the hash of its content \([0-9a-f]{64}\): the row was changed$/),
    ]);

    // Rewritten with its hash recomputed: the next row no longer links to it.
    const rehashed = rows.map((row) => (row.seq === 4 ? { ...row, toState: 'cleared' } : row));
    const { hash: _hash, ...content } = rehashed[3];
    rehashed[3] = { ...content, hash: sha256Hex(canonicalJson({ caseId, ...content })) };
    const relinked = await run(rehashed, '--case', caseId);
    expect(relinked.code).toBe(1);
    expect(relinked.err[0]).toMatch(/^clearance-verify: FAILED: history row 5: its prevHash [0-9a-f]{64} is not the hash of row 4/);

    const dropped = await run(rows.filter((row) => row.seq !== 2), '--case', caseId);
    expect(dropped.err[0]).toMatch(/history row 2: missing \(the row in its place has seq 3\)/);
    const otherCase = await run(rows, '--case', randomUUID());
    expect(otherCase.err[0]).toMatch(/history row 1: its hash .* is not the hash of its content/);
  });

  it('checks a history proof: the head is the chain at its seq, in the heads tree, in the log under a signed checkpoint', async () => {
    const proof = historyProof(5);
    const result = await run({ items: rows }, '--case', caseId, ...proofArgs(proof, ...world.witnessKeyArgs()));
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toEqual(expect.arrayContaining([
      `✓ history proof head seq 5 ${rows[4].hash} is row 5 of the recomputed chain`,
      '✓ heads entry kind heads',
      `✓ case head leaf {caseIdHash, seq, hash} at index 3 of the heads tree of 5 cases (root ${proof.headsEntry.root})`,
      `✓ heads entry (${canonicalJson({ kind: 'heads', at: proof.headsEntry.at, count: 5, root: proof.headsEntry.root }).length} bytes) included in the log at index 4 of the checkpoint's tree of size 7`,
      '✓ witness quorum on the checkpoint: 2 of 2 witnesses cosigned, 2 needed',
    ]));
    // The case id can come from the proof or the export instead of --case.
    expect((await run({ items: rows }, ...proofArgs({ ...proof, caseId }))).code).toBe(0);
    expect((await run({ caseId, items: rows }, ...proofArgs(proof))).code).toBe(0);
    const conflicting = await run({ caseId: randomUUID(), items: rows }, '--case', caseId);
    expect(conflicting.code).toBe(1);
    expect(conflicting.err[0]).toMatch(/case id: --case says .*, the history export says/);
    expect((await run(rows)).code).toBe(2);
  });

  it('catches history rewritten after the heads entry, even with every hash recomputed', async () => {
    const proof = historyProof(5);
    const rewritten: HistoryRow[] = [];
    let prevHash = '0'.repeat(64);
    for (const row of rows) {
      const { hash: _hash, ...content } = { ...row, prevHash, ...(row.seq === 2 ? { payload: { rewritten: true } } : {}) };
      const hash = sha256Hex(canonicalJson({ caseId, ...content }));
      rewritten.push({ ...content, hash });
      prevHash = hash;
    }
    expect((await run(rewritten, '--case', caseId)).code).toBe(0);
    const result = await run(rewritten, '--case', caseId, ...proofArgs(proof));
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/^clearance-verify: FAILED: history proof head seq 5 .* is row 5 of the recomputed chain: row 5 hashes to [0-9a-f]{64}: history was rewritten after the heads entry$/);
    const short = await run(rows.slice(0, 4), '--case', caseId, ...proofArgs(proof));
    expect(short.err[0]).toMatch(/the export has only 4 rows/);
  });

  it('catches a proof for another case, a changed heads entry and a checkpoint with a changed root', async () => {
    const proof = historyProof(6);
    const foreign = await run(rows, '--case', caseId, ...proofArgs({ ...proof, headsIndex: 2 }));
    expect(foreign.err[0]).toMatch(/case head leaf .* at index 2 .*: the heads inclusion proof does not lead to the heads entry root/);
    const entry = await run(rows, '--case', caseId, ...proofArgs({ ...proof, headsEntry: { ...proof.headsEntry, at: '2026-11-30T12:02:00.000Z' } }));
    expect(entry.err[0]).toMatch(/heads entry .* included in the log .*: the log inclusion proof does not lead to the checkpoint root/);
    const changedRoot = proof.checkpoint.replace(world.root().toString('base64'), world.root(6).toString('base64'));
    const forged = await run(rows, '--case', caseId, ...proofArgs({ ...proof, checkpoint: changedRoot }));
    expect(forged.err[0]).toMatch(/checkpoint \(size 7, .*\) signed by the log key .*: the Ed25519 signature does not verify/);
    for (const result of [foreign, entry, forged]) expect(result.code).toBe(1);
  });
});
