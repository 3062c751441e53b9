import { describe, expect, it } from '@jest/globals';
import { ProblemError } from '@app/problems';
import { KEYSETS, queryFingerprint, readCursor, signCursor } from './cursor.util.js';

const KEY = Buffer.alloc(32, 7);
const ID = '0b6c2f0e-6a57-4f7e-9f49-0c1a8d8f3a21';
const AT = '2026-11-28 03:00:00.123456+00';

/** The cursor with its character at `i` replaced. */
const alter = (cursor: string, i: number) => `${cursor.slice(0, i)}${cursor[i] === 'A' ? 'B' : 'A'}${cursor.slice(i + 1)}`;

describe(readCursor.name, () => {
  const fingerprint = queryFingerprint({ state: 'draft', sort: 'created' });
  const sut = (cursor: string | undefined, f = fingerprint, key = KEY) => readCursor(key, cursor, f, KEYSETS.timeAndId);

  it('round-trips a keyset signed for the same query, and reads no cursor as the first page', () => {
    expect(sut(signCursor(KEY, fingerprint, [AT, ID]))).toEqual([AT, ID]);
    expect(sut(signCursor(KEY, fingerprint, ['infinity', ID]))).toEqual(['infinity', ID]);
    expect(sut(undefined)).toBeNull();
  });

  it('refuses with 400 a cursor of another query or signed with another key', () => {
    const cursor = signCursor(KEY, fingerprint, [AT, ID]);
    expect(() => sut(cursor, queryFingerprint({ state: 'intake', sort: 'created' }))).toThrow(ProblemError);
    expect(() => sut(cursor, fingerprint, Buffer.alloc(32, 8))).toThrow(ProblemError);
  });

  it('refuses every single-character change, including in the padding bits of the last character', () => {
    const cursor = signCursor(KEY, fingerprint, [AT, ID]);
    for (let i = 0; i < cursor.length; i++) expect(() => sut(alter(cursor, i))).toThrow(ProblemError);
    expect(() => sut(`${cursor}=`)).toThrow(ProblemError);
    expect(() => sut(`${cursor}.x`)).toThrow(ProblemError);
  });

  it('refuses an unsigned or forged cursor, whatever its keyset', () => {
    const body = Buffer.from(JSON.stringify({ f: fingerprint, k: ['x', 'not-a-uuid'] })).toString('base64url');
    const mac = signCursor(KEY, fingerprint, [AT, ID]).split('.')[1]!;
    for (const forged of [body, `${body}.${mac}`, '', '.', 'not-a-cursor']) expect(() => sut(forged)).toThrow(ProblemError);
  });

  it('refuses a correctly signed keyset of the wrong types (defence in depth)', () => {
    for (const keyset of [['x', ID], [AT, 'not-a-uuid'], [1, ID], [AT], [AT, ID, 1], [null, ID]])
      expect(() => sut(signCursor(KEY, fingerprint, keyset))).toThrow(ProblemError);
    expect(() => readCursor(KEY, signCursor(KEY, 'h', ['1']), 'h', KEYSETS.seq)).toThrow(ProblemError);
    expect(() => readCursor(KEY, signCursor(KEY, 'h', [-1]), 'h', KEYSETS.seq)).toThrow(ProblemError);
    expect(readCursor(KEY, signCursor(KEY, 'h', [7]), 'h', KEYSETS.seq)).toEqual([7]);
  });
});

describe(queryFingerprint.name, () => {
  it('ignores the order of query keys and undefined values', () => {
    expect(queryFingerprint({ a: 1, b: undefined, c: 2 })).toBe(queryFingerprint({ c: 2, a: 1 }));
  });
});
