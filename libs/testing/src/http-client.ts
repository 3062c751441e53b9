import http from 'node:http';

export interface HttpResponse<T = any> {
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
  const response = await fetch(url, { method, body, headers });
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

/** The body of a 2xx response; throws with the status and body otherwise. */
export const expectOk = <T>(response: HttpResponse<T>, what = 'request'): T => {
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};

/** A thin HTTP client for tests and the bench: JSON in, parsed JSON (or text) out, never throws on 4xx/5xx. */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    private readonly transport: HttpTransport = fetchTransport,
  ) {}

  as(token: string | undefined): HttpClient {
    return new HttpClient(this.baseUrl, token, this.transport);
  }

  get<T = any>(path: string, headers: Record<string, string> = {}) {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>('POST', path, body, headers);
  }

  put<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>('PUT', path, body, headers);
  }

  patch<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>('PATCH', path, body, headers);
  }

  delete<T = any>(path: string, headers: Record<string, string> = {}) {
    return this.request<T>('DELETE', path, undefined, headers);
  }

  /** GETs a binary body (evidence downloads) without decoding it. */
  async bytes(path: string): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
    return this.transport('GET', `${this.baseUrl}${path}`, undefined, this.authorization());
  }

  /** Sends a raw string body as JSON (for malformed and oversized bodies). */
  raw<T = any>(method: string, path: string, body: string | Uint8Array | FormData, headers: Record<string, string> = {}) {
    return this.send<T>(method, path, body, headers);
  }

  private request<T>(method: string, path: string, body: unknown, headers: Record<string, string>) {
    const json = body === undefined ? undefined : JSON.stringify(body);
    return this.send<T>(method, path, json, { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...headers });
  }

  private authorization(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  private async send<T>(method: string, path: string, body: RequestInit['body'], headers: Record<string, string>): Promise<HttpResponse<T>> {
    const started = performance.now();
    const response = await this.transport(method, `${this.baseUrl}${path}`, body, { ...this.authorization(), ...headers });
    const text = new TextDecoder().decode(response.bytes);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T, ms: performance.now() - started };
  }
}
