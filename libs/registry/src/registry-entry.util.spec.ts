import { describe, expect, it } from '@jest/globals';
import { sha256Hex } from '@app/integrity';
import { MAX_INLINE_TEXT, externaliseLongTexts } from './registry-entry.util.js';

describe(externaliseLongTexts.name, () => {
  it('replaces only strings longer than the limit, anywhere, by {sha256, length}', () => {
    const long = 'x'.repeat(MAX_INLINE_TEXT + 1);
    const sut = externaliseLongTexts({ a: 'y'.repeat(MAX_INLINE_TEXT), b: [{ text: long }], n: 1, z: null });
    expect(sut.value).toEqual({ a: 'y'.repeat(MAX_INLINE_TEXT), b: [{ text: { sha256: sha256Hex(long), length: long.length } }], n: 1, z: null });
    expect(sut.texts).toEqual([{ sha256: sha256Hex(long), text: long }]);
  });
});
