import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { reportFailed, reportsBusy } from '@app/problems';
import { ProblemFilter } from './problem.filter.js';

/** The filter's answer and the request logger's error lines for one thrown error. */
const render = (error: unknown) => {
  const logged: string[] = [];
  const answer = { status: 0, headers: {} as Record<string, unknown>, body: undefined as unknown };
  const response = {
    setHeader: (name: string, value: unknown) => (answer.headers[name] = value),
    hasHeader: (name: string) => name in answer.headers,
    status(code: number) {
      answer.status = code;
      return this;
    },
    type(type: string) {
      answer.headers['Content-Type'] = type;
      return this;
    },
    json: (body: unknown) => (answer.body = body),
  };
  const request = { log: { error: (_bindings: object, message?: string) => logged.push(message ?? '') } };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }) } as unknown as ArgumentsHost;
  new ProblemFilter().catch(error, host);
  return { ...answer, logged };
};

describe('ProblemFilter', () => {
  it('answers a report that could not be drawn as report-failed and logs its cause, which it does not answer', () => {
    const { status, body, logged } = render(reportFailed('the model report could not be drawn', new TypeError('findings is not iterable')));
    expect(status).toBe(500);
    expect(body).toEqual({ type: '/problems/report-failed', title: 'Report failed', status: 500, detail: 'the model report could not be drawn' });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^report-failed: the model report could not be drawn; cause: TypeError: findings is not iterable/);
  });

  it('does not log a refusal for load: the request log has it', () => {
    const { status, headers, logged } = render(reportsBusy(32));
    expect(status).toBe(503);
    expect(headers['Retry-After']).toBe('2');
    expect(logged).toEqual([]);
  });

  it('hides an unexpected error behind internal and logs its stack', () => {
    const { status, body, logged } = render(new Error('connection terminated'));
    expect(status).toBe(500);
    expect(body).toMatchObject({ type: '/problems/internal', detail: 'an unexpected error occurred' });
    expect(logged[0]).toMatch(/^Error: connection terminated\n/);
  });

  it('answers a database that refuses or drops connections as 503 unavailable, logged in one line without a stack', () => {
    for (const error of [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), new Error('Connection terminated unexpectedly')]) {
      const { status, headers, body, logged } = render(error);
      expect(status).toBe(503);
      expect(headers['Retry-After']).toBe('2');
      expect(body).toEqual({ type: '/problems/unavailable', title: 'Service unavailable', status: 503, detail: 'the database is not reachable; try again in 2 s' });
      expect(logged).toEqual([`database not reachable: ${error.message}`]);
    }
  });
});
