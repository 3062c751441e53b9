import { describe, expect, it, jest } from '@jest/globals';
import { ProblemError } from '@app/problems';
import { findByIdOr404, isUuid, requirePathName, requireUuid } from './id.util.js';

const ID = '0b6c2f0e-6a57-4f7e-9f49-0c1a8d8f3a21';

describe(isUuid.name, () => {
  it('accepts any hex UUID and nothing else', () => {
    expect(isUuid(ID)).toBe(true);
    expect(isUuid(ID.toUpperCase())).toBe(true);
    expect(isUuid('------------------------------------')).toBe(false);
    expect(isUuid(`${ID}0`)).toBe(false);
    expect(isUuid('not-a-uuid')).toBe(false);
  });
});

describe(requireUuid.name, () => {
  it('answers 404 for a malformed id', () => {
    expect(requireUuid(ID)).toBe(ID);
    expect(() => requireUuid('x', 'no such thing')).toThrow(ProblemError);
  });
});

describe(findByIdOr404.name, () => {
  it('never looks up a malformed id, and a missing row is the same 404', async () => {
    const find = jest.fn(async (id: string) => (id === ID ? { id } : null));
    await expect(findByIdOr404(ID, find)).resolves.toEqual({ id: ID });
    await expect(findByIdOr404('x', find, 'no such thing')).rejects.toMatchObject({ status: 404, message: 'no such thing' });
    await expect(findByIdOr404('1b6c2f0e-6a57-4f7e-9f49-0c1a8d8f3a21', find)).rejects.toMatchObject({ status: 404 });
    expect(find).toHaveBeenCalledTimes(2);
  });
});

describe(requirePathName.name, () => {
  it('answers 404 for a name holding U+0000 or a lone surrogate', () => {
    expect(requirePathName('caip-2025')).toBe('caip-2025');
    expect(() => requirePathName('a\u0000')).toThrow(ProblemError);
    expect(() => requirePathName('\ud800')).toThrow(ProblemError);
  });
});
