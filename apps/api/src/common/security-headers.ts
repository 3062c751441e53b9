import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

type HeaderWrites = Pick<ServerResponse, 'setHeader' | 'removeHeader'>;

/**
 * Security headers on every response (SPEC.md "HTTP hardening"). The web app, Swagger UI and
 * the queue dashboard load scripts only from this origin; styles may be inline (Mermaid's SVG
 * and Swagger UI carry <style>); nothing may frame a page.
 */
export const helmetPolicy = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });

/**
 * What helmet's policy writes on a response, recorded once. Every directive above is static
 * (no nonce, nothing read from the request), so each response gets the same writes.
 */
export const recordedHelmetWrites = () => {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const recorder: HeaderWrites = {
    setHeader(name: string, value: number | string | readonly string[]) {
      if (typeof value !== 'string') throw new Error(`helmet wrote a non-string ${name}: the recorded policy would differ`);
      set.push([name, value]);
      return this as ServerResponse;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let finished = false;
  helmetPolicy()({} as IncomingMessage, recorder as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously: its policy cannot be recorded');
  return { set, removed };
};

/**
 * helmet's headers as one middleware: its twelve middlewares ran per request and cost more
 * than writing the same headers from a list (docs/decisions.md).
 */
export const securityHeaders = () => {
  const { set, removed } = recordedHelmetWrites();
  return (_request: IncomingMessage, response: HeaderWrites, next: () => void): void => {
    for (const name of removed) response.removeHeader(name);
    for (const [name, value] of set) response.setHeader(name, value);
    next();
  };
};
