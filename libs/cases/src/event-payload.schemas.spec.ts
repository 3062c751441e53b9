import { describe, expect, it } from '@jest/globals';
import { ProblemError } from '@app/problems';
import { parseEventBody } from './event-payload.schemas.js';

const problemOf = (body: unknown): ProblemError => {
  try {
    parseEventBody(body);
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected a validation problem');
};

describe(parseEventBody.name, () => {
  it('splits the type from the payload', () => {
    expect(parseEventBody({ type: 'REQUEST_INFO', question: 'Which participants?' })).toEqual({
      type: 'REQUEST_INFO',
      payload: { question: 'Which participants?' },
    });
  });

  it('answers 400 for a missing or unknown type', () => {
    expect(problemOf({}).extensions.errors).toEqual([{ path: '$.type', message: 'required' }]);
    const unknown = problemOf({ type: 'PUBLISH' });
    expect(unknown.status).toBe(400);
    expect(unknown.slug).toBe('validation');
    expect(unknown.extensions.errors).toEqual([{ path: '$.type', message: expect.stringContaining('PUBLISH') }]);
  });

  it('lists every problem of a payload by path', () => {
    const sut = problemOf({ type: 'ADD_FINDING', severity: 'huge', title: 7, extra: true });
    const paths = (sut.extensions.errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['$.severity', '$.title', '$.detail']));
    expect(paths.some((p) => p.includes('extra') || p === '$')).toBe(true);
  });

  it('requires a basis unless the opinion is unmodified', () => {
    const base = { type: 'APPROVE', revisionHash: 'a'.repeat(64), assurance: 'limited', conditions: [] };
    expect(parseEventBody({ ...base, opinion: 'unmodified' }).type).toBe('APPROVE');
    expect(problemOf({ ...base, opinion: 'qualified' }).extensions.errors).toEqual([
      { path: '$.basis', message: 'required unless the opinion is unmodified' },
    ]);
  });

  it('refuses an assurance on a flag without an opinion, and requires one with it', () => {
    expect(problemOf({ type: 'FLAG', reason: 'r', assurance: 'limited' }).extensions.errors).toEqual([
      { path: '$.assurance', message: 'only with an opinion' },
    ]);
    expect(problemOf({ type: 'FLAG', reason: 'r', opinion: 'adverse' }).extensions.errors).toEqual([
      { path: '$.assurance', message: 'required with an opinion' },
    ]);
  });

  it('refuses strings holding U+0000 or a lone surrogate', () => {
    expect(problemOf({ type: 'REQUEST_INFO', question: 'a\u0000b' }).extensions.errors).toEqual([
      { path: '$.question', message: expect.stringContaining('U+0000') },
    ]);
    expect(problemOf({ type: 'REQUEST_INFO', question: 'a\uD800' }).status).toBe(400);
  });
});
