import { describe, it, expect } from '@jest/globals';
import { findInvalidString } from './invalid-string.util.js';

describe(findInvalidString.name, () => {
  const sut = findInvalidString;

  it('returns null for clean values, including paired surrogates', () => {
    expect(sut({ a: 'x', b: [1, null, true, { c: 'emoji \ud83d\ude00' }], '\ud83d\ude00': 'key' })).toBeNull();
    expect(sut('plain')).toBeNull();
    expect(sut(42)).toBeNull();
  });

  it('names a lone high surrogate with its path', () => {
    expect(sut({ a: { b: ['ok', 'fine', 'bad \uD800'] } })).toBe('$.a.b[2]');
  });

  it('names a lone low surrogate and a high surrogate at the end of a string', () => {
    expect(sut({ x: '\uDC00 first' })).toBe('$.x');
    expect(sut({ x: 'ends \uD83D' })).toBe('$.x');
  });

  it('names a reversed surrogate pair', () => {
    expect(sut(['\uDE00\uD83D'])).toBe('$[0]');
  });

  it('names a NUL character', () => {
    expect(sut({ payload: { reason: 'a\u0000b' } })).toBe('$.payload.reason');
  });

  it('checks the value itself', () => {
    expect(sut('\u0000')).toBe('$');
  });

  it('checks object keys and escapes them in the path', () => {
    expect(sut({ a: { 'bad\u0000key': 'fine' } })).toBe("$.a['bad\\u0000key']");
    expect(sut({ ['\uD800']: 1 })).toBe("$['\\ud800']");
  });

  it('uses bracket notation for keys that are not identifiers', () => {
    expect(sut({ 'two words': { "it's": ['\u0000'] } })).toBe("$['two words']['it\\'s'][0]");
  });

  it('returns the first hit in document order', () => {
    expect(sut({ first: ['ok', { deep: '\u0000' }], second: '\uD800' })).toBe('$.first[1].deep');
    expect(sut({ first: '\u0000', ['\uD800']: 'later key' })).toBe('$.first');
  });

  it('copes with nesting deeper than the call stack', () => {
    let value: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(sut(value)).toBe('$' + '[0]'.repeat(100_000));
  });
});
