import http from 'node:http';
import type { HttpMethod, PathCheck, Problem, ResponseOf, SuccessStatus } from './api-types.js';

/** A response whose body is not described by the schema (bench, pages outside the api). */
export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** Milliseconds from sending the request to having parsed the whole response. */
  ms: number;
}

/** Sends one request and reads the whole response body. */
export type HttpTransport = (
  method: string,
  url: string,
  body: RequestInit['body'],
  headers: Record<string, string>,
) => Promise<{ status: number; headers: Headers; bytes: Uint8Array }>;

export const fetchTransport: HttpTransport = async (method, url, body, headers) => {
  const send = () => fetch(url, { method, body, headers });
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    // A keep-alive socket the server closed just as fetch reused it (CI saw one under heavy
    // load): a read changes nothing, so it is sent once more; a write never is.
    if (method !== 'GET' || (error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
    response = await send();
  }
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
};

/**
 * Keep-alive HTTP/1.1 on node:http: lighter than fetch, so a load generator takes less of
 * the CPU it shares with the api, worker, Postgres and Redis. String and byte bodies only.
 */
export const nodeHttpTransport =
  (agent: http.Agent, timeoutMs = 30_000): HttpTransport =>
  (method, url, body, headers) => {
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array))
      throw new Error('nodeHttpTransport sends string or byte bodies only');
    const payload = body === undefined || body === null ? undefined : Buffer.from(body);
    const outgoing: http.OutgoingHttpHeaders = { ...headers, ...(payload ? { 'content-length': payload.length } : {}) };
    return new Promise((resolve, reject) => {
      const request = http.request(url, { method, headers: outgoing, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const received = new Headers();
          for (const [name, value] of Object.entries(response.headers))
            for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) received.append(name, one);
          resolve({ status: response.statusCode ?? 0, headers: received, bytes: Buffer.concat(chunks) });
        });
      });
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`${method} ${url} timed out`)));
      request.on('error', reject);
      request.end(payload);
    });
  };

export interface AnyResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A typed response's 2xx body; a loose response's body as it is. */
export type OkBodyOf<R extends AnyResponse> = number extends R['status'] ? R['body'] : Extract<R, { status: SuccessStatus }>['body'];

/** The body of a 2xx response; throws with the status and body otherwise. */
export const expectOk = <R extends AnyResponse>(response: R, what = 'request'): OkBodyOf<R> => {
  if (response.status < 200 || response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as OkBodyOf<R>;
};

/** The RFC 9457 body of a refusal with this status; throws unless the response is that status as problem+json. */
export const expectProblem = (response: AnyResponse, status: number, what = 'request'): Problem => {
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== status || !type.startsWith('application/problem+json'))
    throw new Error(`${what}: expected ${status} problem+json, got ${response.status} ${type} ${JSON.stringify(response.body)}`);
  return response.body as Problem;
};

/** `<status> <problem type>` (the type only for problem+json), for tables of refusals. */
export const outcomeOf = (response: AnyResponse): string => {
  const problem = (response.headers.get('content-type') ?? '').startsWith('application/problem+json');
  return problem ? `${response.status} ${(response.body as Problem).type}` : `${response.status}`;
};

type UpperMethod = Uppercase<HttpMethod>;

/**
 * The test client: JSON in, parsed JSON (or text) out, never throws on 4xx/5xx. Every path names
 * a route of the generated OpenAPI schema and its response is typed by it (see api-types.ts);
 * `offSchema` is the one way to reach a path the schema does not list.
 */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    private readonly transport: HttpTransport = fetchTransport,
  ) {}

  as(token: string | undefined): HttpClient {
    return new HttpClient(this.baseUrl, token, this.transport);
  }

  get<S extends string>(path: S, headers: Record<string, string> = {}, ..._: PathCheck<S, 'get'>) {
    return this.request('GET', path, undefined, headers) as Promise<ResponseOf<S, 'get'>>;
  }

  post<S extends string>(path: S, body?: unknown, headers: Record<string, string> = {}, ..._: PathCheck<S, 'post'>) {
    return this.request('POST', path, body, headers) as Promise<ResponseOf<S, 'post'>>;
  }

  put<S extends string>(path: S, body?: unknown, headers: Record<string, string> = {}, ..._: PathCheck<S, 'put'>) {
    return this.request('PUT', path, body, headers) as Promise<ResponseOf<S, 'put'>>;
  }

  patch<S extends string>(path: S, body?: unknown, headers: Record<string, string> = {}, ..._: PathCheck<S, 'patch'>) {
    return this.request('PATCH', path, body, headers) as Promise<ResponseOf<S, 'patch'>>;
  }

  delete<S extends string>(path: S, headers: Record<string, string> = {}, ..._: PathCheck<S, 'delete'>) {
    return this.request('DELETE', path, undefined, headers) as Promise<ResponseOf<S, 'delete'>>;
  }

  /** Sends a raw body (malformed JSON, multipart uploads) to a path of the schema; the response is still typed. */
  raw<M extends UpperMethod, S extends string>(
    method: M,
    path: S,
    body: string | Uint8Array | FormData,
    headers: Record<string, string> = {},
    ..._: PathCheck<S, Lowercase<M>>
  ) {
    return this.send(method, path, body, headers) as Promise<ResponseOf<S, Lowercase<M>>>;
  }

  /** Any path, typed or not (unknown routes, /docs-json, the web app): the body is unknown. */
  offSchema(method: UpperMethod, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request(method, path, body, headers);
  }

  /** GETs a binary body (evidence downloads) without decoding it. */
  async bytes(path: string): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
    return this.transport('GET', `${this.baseUrl}${path}`, undefined, this.authorization());
  }

  private request(method: string, path: string, body: unknown, headers: Record<string, string>) {
    const json = body === undefined ? undefined : JSON.stringify(body);
    return this.send(method, path, json, { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...headers });
  }

  private authorization(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  private async send(method: string, path: string, body: RequestInit['body'], headers: Record<string, string>): Promise<HttpResponse> {
    const started = performance.now();
    const response = await this.transport(method, `${this.baseUrl}${path}`, body, { ...this.authorization(), ...headers });
    const text = new TextDecoder().decode(response.bytes);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed, ms: performance.now() - started };
  }
}
