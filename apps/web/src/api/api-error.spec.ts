import { describe, expect, it } from '@jest/globals';
import { ApiError, apiErrorOf } from './api-error';

describe(apiErrorOf.name, () => {
  it("carries a problem's detail as its message, with the status and the problem", () => {
    const problem = { type: '/problems/reports-busy', title: 'Reports busy', status: 503, detail: '16 model reports are waiting to be drawn by this server; try again in 2 s' };
    const error = apiErrorOf(503, problem);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe(problem.detail);
    expect(error.status).toBe(503);
    expect(error.problem).toBe(problem);
  });

  it('takes a text body as the detail, and falls back to the status for no body', () => {
    expect(apiErrorOf(502, 'Bad gateway').message).toBe('Bad gateway');
    expect(apiErrorOf(502, '').message).toBe('The server answered 502');
    expect(apiErrorOf(500, undefined).message).toBe('The server answered 500');
  });
});
