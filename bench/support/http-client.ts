import http from 'node:http';

export interface BenchResponse {
  status: number;
  body: any;
  /** Milliseconds from sending the request to having parsed the whole response. */
  ms: number;
}

/**
 * A small keep-alive HTTP/1.1 JSON client on node:http: lighter than fetch, so the load
 * generator takes less of the CPU it shares with the api, worker, Postgres and Redis.
 */
export class BenchHttp {
  constructor(
    private readonly agent: http.Agent,
    private readonly host: string,
    private readonly port: number,
    private readonly token?: string,
  ) {}

  as(token: string): BenchHttp {
    return new BenchHttp(this.agent, this.host, this.port, token);
  }

  get(path: string): Promise<BenchResponse> {
    return this.request('GET', path);
  }

  post(path: string, body?: unknown): Promise<BenchResponse> {
    return this.request('POST', path, body);
  }

  put(path: string, body?: unknown): Promise<BenchResponse> {
    return this.request('PUT', path, body);
  }

  request(method: string, path: string, body?: unknown): Promise<BenchResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const started = performance.now();
    return new Promise<BenchResponse>((resolve, reject) => {
      const request = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: response.statusCode ?? 0, body: parsed, ms: performance.now() - started });
        });
      });
      request.setTimeout(30_000, () => request.destroy(new Error(`${method} ${path} timed out`)));
      request.on('error', reject);
      request.end(payload);
    });
  }
}
