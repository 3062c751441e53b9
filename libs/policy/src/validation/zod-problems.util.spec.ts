import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { problemsFrom } from './zod-problems.util.js';

describe('zodIssuesToProblems', () => {
  const sut = z.array(z.union([z.strictObject({ id: z.uuid(), kind: z.enum(['a', 'b']).optional() }), z.strictObject({ name: z.string() })]));

  it('names the field of the one union branch whose fields the item has', () => {
    expect(problemsFrom(sut, [{ id: '00000000-0000-4000-8000-000000000000', kind: 'c' }])).toEqual([{ path: '$[0].kind', message: expect.any(String) }]);
  });

  it('names the item when no branch, or more than one, fits', () => {
    expect(problemsFrom(sut, [{ other: 1 }]).map((p) => p.path)).toEqual(['$[0]']);
  });
});
