import { describe, expect, it } from '@jest/globals';
import { ProblemError } from '@app/problems';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor.util.js';

describe('cursor', () => {
  const fingerprint = queryFingerprint({ state: 'draft', sort: 'created' });

  it('round-trips a keyset for the same query', () => {
    const sut = encodeCursor(fingerprint, ['2026-11-28 03:00:00+00', 'a1']);
    expect(decodeCursor(sut, fingerprint)).toEqual(['2026-11-28 03:00:00+00', 'a1']);
    expect(decodeCursor(undefined, fingerprint)).toBeNull();
  });

  it('is bound to its query and refuses garbage with 400', () => {
    const sut = encodeCursor(fingerprint, ['x', 'a1']);
    const other = queryFingerprint({ state: 'intake', sort: 'created' });
    expect(() => decodeCursor(sut, other)).toThrow(ProblemError);
    expect(() => decodeCursor('not-a-cursor', fingerprint)).toThrow(ProblemError);
  });

  it('ignores the order of query keys and undefined values', () => {
    expect(queryFingerprint({ a: 1, b: undefined, c: 2 })).toBe(queryFingerprint({ c: 2, a: 1 }));
  });
});
