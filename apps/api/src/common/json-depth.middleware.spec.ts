import { describe, expect, it } from '@jest/globals';
import { jsonDepth } from './json-depth.middleware.js';

describe('jsonDepth', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(jsonDepth('x', 64)).toBe(0);
    expect(jsonDepth({}, 64)).toBe(1);
    expect(jsonDepth({ a: [1, { b: null }] }, 64)).toBe(3);
  });

  it('stops past the limit without overflowing the stack on a very deep value', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(jsonDepth(deep, 64)).toBe(65);
  });

  it('counts a raw body (bytes) as one level without walking it', () => {
    expect(jsonDepth(Buffer.from('[[[[]]]]'), 64)).toBe(1);
  });

  it('answers the deepest branch, wherever it is', () => {
    expect(jsonDepth([1, [2, [3]], { a: { b: { c: [] } } }, []], 64)).toBe(5);
    expect(jsonDepth({ a: { b: { c: { d: 1 } } } }, 2)).toBe(3);
  });
});
