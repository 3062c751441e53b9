import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ProblemError } from '@app/problems';
import { parseBody, parseQuery, parseQueryString } from './parse.util.js';

const problemOf = (fn: () => unknown): ProblemError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected a problem');
};

describe(parseBody.name, () => {
  const schema = z.strictObject({ name: z.string().min(1), count: z.number().int().optional() });

  it('returns the parsed body', () => {
    expect(parseBody(schema, { name: 'x', count: 2 })).toEqual({ name: 'x', count: 2 });
  });

  it('refuses a string holding U+0000 or a lone surrogate before the schema runs', () => {
    const sut = problemOf(() => parseBody(schema, { name: 'a\u0000b', unknown: true }));
    expect(sut.status).toBe(400);
    expect(sut.extensions.errors).toEqual([{ path: '$.name', message: 'strings may not hold U+0000 or a lone surrogate' }]);
  });

  it('lists every schema problem, one per unknown field', () => {
    const sut = problemOf(() => parseBody(schema, { name: '', a: 1, b: 2 }));
    expect(sut.slug).toBe('validation');
    expect((sut.extensions.errors as Array<{ path: string }>).map((e) => e.path).sort()).toEqual(['$.a', '$.b', '$.name']);
  });

  it('takes a validator that lists problems', () => {
    const rule = (input: unknown) => (input === 'ok' ? [] : [{ path: '$', message: 'not ok' }]);
    expect(parseBody<string>(rule, 'ok')).toBe('ok');
    expect(problemOf(() => parseBody<string>(rule, 'no')).extensions.errors).toEqual([{ path: '$', message: 'not ok' }]);
  });
});

describe('parseQuery', () => {
  it('coerces and defaults like the schema says, and refuses unknown parameters', () => {
    const schema = z.strictObject({ limit: z.coerce.number().int().default(50) });
    expect(parseQuery(schema, { limit: '7' })).toEqual({ limit: 7 });
    expect(parseQuery(schema, {})).toEqual({ limit: 50 });
    expect(problemOf(() => parseQuery(schema, { other: '1' })).status).toBe(400);
  });
});

describe(parseQueryString.name, () => {
  it('decodes like querystring, and turns a malformed or non-UTF-8 escape into a value parseQuery refuses by name', () => {
    expect(parseQueryString('a=x+y%20z&b=%E2%82%AC&b=2')).toEqual({ a: 'x y z', b: ['€', '2'] });
    const schema = z.strictObject({ model: z.string().optional() });
    for (const query of ['model=a%ED%A0%80', 'model=%zz', 'model=%C3'])
      expect(problemOf(() => parseQuery(schema, parseQueryString(query))).extensions.errors).toEqual([{ path: '$.model', message: expect.any(String) }]);
  });
});
