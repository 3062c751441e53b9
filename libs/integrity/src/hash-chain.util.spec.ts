import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { ChainVerifier, GENESIS_HASH, OPERATOR_LOG_CHAIN_ID, eventHash, verifyChain, type HistoryItem } from './hash-chain.util.js';

const caseId = '6f1c2a4e-0000-4000-8000-000000000001';

function buildChain(length: number): HistoryItem[] {
  const items: HistoryItem[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const base: Omit<HistoryItem, 'hash'> = {
      seq,
      type: seq === 1 ? 'CREATE' : 'COMMENT',
      actor: seq % 2 === 0 ? 'system' : { id: `user-${seq}`, role: 'developer', organisationId: 'org-1' },
      fromState: 'draft',
      toState: 'draft',
      at: `2025-01-0${seq}T10:00:00.000Z`,
      payload: { note: `event ${seq}`, n: seq },
      prevHash,
    };
    const hash = eventHash(caseId, base);
    items.push({ ...base, hash });
    prevHash = hash;
  }
  return items;
}

function headOf(items: HistoryItem[]): { headHash: string; lastSeq: number } {
  const last = items[items.length - 1];
  return { headHash: last?.hash ?? GENESIS_HASH, lastSeq: last?.seq ?? 0 };
}

// Flips the last character of a string to another hex-safe character: a one-byte change.
function flip(text: string): string {
  const lastChar = text.slice(-1);
  return text.slice(0, -1) + (lastChar === 'a' ? 'b' : 'a');
}

describe(eventHash.name, () => {
  const sut = eventHash;

  it('hashes the JCS form of exactly the history fields plus caseId', () => {
    const item: Omit<HistoryItem, 'hash'> = {
      seq: 1,
      type: 'CREATE',
      actor: { id: 'u1', role: 'developer', organisationId: null },
      fromState: 'draft',
      toState: 'draft',
      at: '2025-01-01T00:00:00.000Z',
      payload: { b: 2, a: 1 },
      prevHash: GENESIS_HASH,
    };
    const expectedJson =
      `{"actor":{"id":"u1","organisationId":null,"role":"developer"},"at":"2025-01-01T00:00:00.000Z",` +
      `"caseId":"c1","fromState":"draft","payload":{"a":1,"b":2},"prevHash":"${GENESIS_HASH}",` +
      `"seq":1,"toState":"draft","type":"CREATE"}`;
    const expected = createHash('sha256').update(expectedJson).digest('hex');

    expect(sut('c1', item)).toBe(expected);
    // Extra properties (such as a stored hash) never change the result.
    expect(sut('c1', { ...item, hash: 'x' } as Omit<HistoryItem, 'hash'>)).toBe(expected);
  });

  it('binds the hash to the case', () => {
    const [item] = buildChain(1);
    expect(sut('other-case', item!)).not.toBe(item!.hash);
  });
});

describe(verifyChain.name, () => {
  const sut = verifyChain;

  it('accepts an intact chain ending at the head', () => {
    const items = buildChain(4);
    expect(sut(caseId, items, headOf(items))).toEqual({
      valid: true,
      length: 4,
      headHash: items[3]!.hash,
      firstBadSeq: null,
    });
  });

  it('accepts an empty chain with an empty head', () => {
    expect(sut(caseId, [], { headHash: GENESIS_HASH, lastSeq: 0 })).toEqual({
      valid: true,
      length: 0,
      headHash: GENESIS_HASH,
      firstBadSeq: null,
    });
  });

  const tamperings: Array<[string, (item: HistoryItem) => HistoryItem]> = [
    ['type', (item) => ({ ...item, type: flip(item.type) })],
    ['actor', (item) => ({ ...item, actor: 'system' === item.actor ? { id: 'x', role: 'developer', organisationId: null } : 'system' })],
    ['actor.id', (item) => ({ ...item, actor: { id: 'user-1x', role: 'developer', organisationId: 'org-1' } })],
    ['fromState', (item) => ({ ...item, fromState: flip(item.fromState) })],
    ['toState', (item) => ({ ...item, toState: flip(item.toState) })],
    ['at', (item) => ({ ...item, at: item.at.replace('10:00:00.000', '10:00:00.001') })],
    ['payload value', (item) => ({ ...item, payload: { ...item.payload, note: flip(String(item.payload['note'])) } })],
    ['payload key', (item) => ({ ...item, payload: { ...item.payload, extra: true } })],
    ['prevHash', (item) => ({ ...item, prevHash: flip(item.prevHash) })],
    ['hash', (item) => ({ ...item, hash: flip(item.hash) })],
    ['seq', (item) => ({ ...item, seq: item.seq + 10 })],
  ];

  it.each(tamperings)('names the row whose %s changed', (_field, tamper) => {
    for (const bad of [1, 2, 3]) {
      const items = buildChain(3);
      const head = headOf(items);
      items[bad - 1] = tamper(items[bad - 1]!);

      const result = sut(caseId, items, head);

      expect(result.valid).toBe(false);
      expect(result.firstBadSeq).toBe(bad);
    }
  });

  it.each(tamperings)('names the row whose %s changed when the chain is fed in pages, as in one', (_field, tamper) => {
    for (const bad of [1, 3, 5])
      for (const pageSize of [1, 2, 4]) {
        const items = buildChain(5);
        const head = headOf(items);
        items[bad - 1] = tamper(items[bad - 1]!);
        const verifier = new ChainVerifier(caseId, head);
        for (let i = 0; i < items.length; i += pageSize) verifier.add(items.slice(i, i + pageSize));

        expect(verifier.result()).toEqual(sut(caseId, items, head));
        expect(verifier.result()).toMatchObject({ valid: false, length: 5, firstBadSeq: bad });
      }
  });

  it('accepts an intact chain fed in pages, and names a missing tail or a row past the head', () => {
    const items = buildChain(5);
    const paged = (rows: HistoryItem[], head = headOf(items)) => {
      const verifier = new ChainVerifier(caseId, head);
      verifier.add(rows.slice(0, 2));
      verifier.add([]);
      verifier.add(rows.slice(2));
      return verifier.result();
    };
    expect(paged(items)).toEqual({ valid: true, length: 5, headHash: items[4]!.hash, firstBadSeq: null });
    expect(paged(items.slice(0, 4))).toMatchObject({ valid: false, length: 4, firstBadSeq: 5 });
    expect(paged(items, headOf(items.slice(0, 4)))).toMatchObject({ valid: false, length: 5, firstBadSeq: 5 });
  });

  it('names a rewritten row even when its hash was recomputed to match', () => {
    const items = buildChain(3);
    const head = headOf(items);
    const rewritten = { ...items[1]!, payload: { note: 'forged', n: 2 } };
    items[1] = { ...rewritten, hash: eventHash(caseId, rewritten) };

    // Row 2 is self-consistent now, so the break shows at row 3, whose prevHash no longer links.
    expect(sut(caseId, items, head)).toMatchObject({ valid: false, firstBadSeq: 3 });
  });

  it('refuses a prevHash that is a valid hash of the wrong row', () => {
    const items = buildChain(3);
    const head = headOf(items);
    const relinked = { ...items[2]!, prevHash: items[0]!.hash };
    items[2] = { ...relinked, hash: eventHash(caseId, relinked) };

    expect(sut(caseId, items, { ...head, headHash: items[2].hash })).toMatchObject({ valid: false, firstBadSeq: 3 });
  });

  it('refuses a first row whose prevHash is not the genesis hash', () => {
    const [first] = buildChain(1);
    const moved = { ...first!, prevHash: 'f'.repeat(64) };
    const items = [{ ...moved, hash: eventHash(caseId, moved) }];

    expect(sut(caseId, items, headOf(items))).toMatchObject({ valid: false, firstBadSeq: 1 });
  });

  it('names the first missing seq when the chain is truncated below the head', () => {
    const items = buildChain(4);
    const head = headOf(items);

    const result = sut(caseId, items.slice(0, 2), head);

    expect(result).toEqual({ valid: false, length: 2, headHash: items[1]!.hash, firstBadSeq: 3 });
  });

  it('names seq 1 when every row is gone but the head says otherwise', () => {
    const items = buildChain(2);
    expect(sut(caseId, [], headOf(items))).toEqual({ valid: false, length: 0, headHash: GENESIS_HASH, firstBadSeq: 1 });
  });

  it('names the first row past the head', () => {
    const items = buildChain(4);
    const head = headOf(items.slice(0, 2));

    expect(sut(caseId, items, head)).toMatchObject({ valid: false, length: 4, firstBadSeq: 3 });
  });

  it('names the gap when a middle row is missing', () => {
    const items = buildChain(4);
    const head = headOf(items);

    expect(sut(caseId, [items[0]!, items[1]!, items[3]!], head)).toMatchObject({ valid: false, firstBadSeq: 3 });
  });

  it('names the last row when the head hash disagrees with it', () => {
    const items = buildChain(3);
    const head = { headHash: flip(items[2]!.hash), lastSeq: 3 };

    expect(sut(caseId, items, head)).toMatchObject({ valid: false, firstBadSeq: 3 });
  });

  it('refuses an empty chain whose head hash is not genesis', () => {
    expect(sut(caseId, [], { headHash: 'f'.repeat(64), lastSeq: 0 })).toMatchObject({ valid: false, firstBadSeq: 1 });
  });

  it('reports the recomputed hash of the last row, not the stored one', () => {
    const items = buildChain(2);
    const head = headOf(items);
    items[1] = { ...items[1]!, hash: flip(items[1]!.hash) };

    expect(sut(caseId, items, head).headHash).toBe(head.headHash);
  });

  it('does not accept a chain verified under another case id', () => {
    const items = buildChain(2);
    expect(sut('another-case', items, headOf(items))).toMatchObject({ valid: false, firstBadSeq: 1 });
  });

  it('chains operator-log rows (null states) under their own id, like case history', () => {
    let prevHash = GENESIS_HASH;
    const items = [1, 2].map((seq) => {
      const item = { seq, type: 'TOKEN_ISSUED', actor: 'system' as const, fromState: null, toState: null, at: '2026-01-01T00:00:00.000Z', payload: { tokenId: `t${seq}` }, prevHash };
      prevHash = eventHash(OPERATOR_LOG_CHAIN_ID, item);
      return { ...item, hash: prevHash };
    });
    expect(sut(OPERATOR_LOG_CHAIN_ID, items, { headHash: prevHash, lastSeq: 2 })).toEqual({ valid: true, length: 2, headHash: prevHash, firstBadSeq: null });
    items[0] = { ...items[0]!, payload: { tokenId: 'forged' } };
    expect(sut(OPERATOR_LOG_CHAIN_ID, items, { headHash: prevHash, lastSeq: 2 })).toMatchObject({ valid: false, firstBadSeq: 1 });
  });
});
