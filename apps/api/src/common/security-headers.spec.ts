import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { helmetPolicy, securityHeaders } from './security-headers.js';

/** A response that records header writes in order, as Node's would apply them. */
const recordingResponse = () => {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  return { headers, response };
};

describe('securityHeaders', () => {
  it('writes exactly the headers helmet writes, and calls next once', () => {
    const viaHelmet = recordingResponse();
    viaHelmet.headers.set('x-powered-by', 'Express');
    helmetPolicy()({} as IncomingMessage, viaHelmet.response as unknown as ServerResponse, () => undefined);
    const viaList = recordingResponse();
    viaList.headers.set('x-powered-by', 'Express');
    let calls = 0;
    securityHeaders()({} as IncomingMessage, viaList.response as unknown as ServerResponse, () => calls++);
    expect(calls).toBe(1);
    expect([...viaList.headers]).toEqual([...viaHelmet.headers]);
    expect(viaList.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(viaList.headers.get('x-frame-options')).toBe('DENY');
    expect(viaList.headers.has('x-powered-by')).toBe(false);
  });
});
