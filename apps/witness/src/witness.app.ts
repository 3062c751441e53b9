import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { DEFAULT_CONNECT_TIMEOUT_MS, type WitnessConfig } from '@app/config';
import { isTransientConnectError, PoolClient, type PoolClientConfig } from '@app/persistence';
import { BUSY_RETRY_S } from '@app/problems';
import { ed25519Cosigner, noteVerifierFromKey, parseVerifierKey, type NoteVerifier } from '@app/tlog';
import { AddCheckpointService, type WitnessAnswer } from './add-checkpoint.service.js';
import { loadWitnessKey } from './witness-key.util.js';
import { WitnessMetrics } from './witness-metrics.js';
import { WitnessRepository } from './witness.repository.js';

/** Largest add-checkpoint body: a note of at most 1 MB (signed-note's limit) and 63 proof lines. */
const MAX_BODY_BYTES = 1_100_000;

/** What the routes answer, by path and method; a known path with another method is 405. */
type Route = (request: IncomingMessage) => Promise<WitnessAnswer>;

export interface RunningWitness {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `<name>+<hex key id>+<base64(0x04 ‖ public key)>` (C2SP tlog-cosignature). */
  verifierKey: string;
  name: string;
  metrics: WitnessMetrics;
  close(): Promise<void>;
}

class PayloadTooLarge extends Error {}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new PayloadTooLarge());
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

const text = (status: number, body: string, contentType = 'text/plain; charset=utf-8'): WitnessAnswer => ({ status, contentType, body });

/** The log verifiers by origin, from WITNESS_LOG_KEYS (several keys of one origin are all trusted). */
export function logVerifiersByOrigin(keys: readonly string[]): (origin: string) => readonly NoteVerifier[] {
  const byOrigin = new Map<string, NoteVerifier[]>();
  for (const key of keys) {
    const origin = parseVerifierKey(key)!.name;
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), noteVerifierFromKey(key)]);
  }
  return (origin) => byOrigin.get(origin) ?? [];
}

/**
 * Starts the witness (plain node:http, see docs/decisions.md "Witness"): connects as the witness
 * role, loads or creates its key, and serves `POST /add-checkpoint` (C2SP tlog-witness),
 * `GET /verifier-key`, `GET /health` and `GET /metrics`. Port 0 picks a free port.
 */
export async function startWitness(
  config: Pick<WitnessConfig, 'WITNESS_DATABASE_URL' | 'WITNESS_PORT' | 'WITNESS_NAME' | 'WITNESS_SIGNING_KEY' | 'WITNESS_LOG_KEYS' | 'LOG_LEVEL'>,
  { logger = pino({ level: config.LOG_LEVEL, base: { service: 'witness' } }), host = '0.0.0.0' }: { logger?: Logger; host?: string } = {},
): Promise<RunningWitness> {
  const url = new URL(config.WITNESS_DATABASE_URL);
  if (!url.searchParams.has('application_name')) url.searchParams.set('application_name', 'clearance-witness');
  // Opening a connection, waiting for a free one and a server gone silent under a query are bounded
  // as in api and worker: past the bound, a 503.
  const poolConfig: pg.PoolConfig & PoolClientConfig = {
    connectionString: url.toString(),
    max: 10,
    connectionTimeoutMillis: DEFAULT_CONNECT_TIMEOUT_MS,
    Client: PoolClient,
    checkBackend: true,
  };
  const pool = new pg.Pool(poolConfig);
  // A restart ends every session (57P01). pg emits that as 'error' on the pool for an idle connection
  // and on the client for a checked-out one between its queries (PoolClient listens for that one):
  // unheard, either ended the process. The pool drops the connection; a checked-out one fails its
  // next query, so its request is a 503.
  pool.on('error', (error) => logger.warn({ err: error }, 'a database connection was lost'));
  try {
    const repository = new WitnessRepository(pool);
    const cosigner = ed25519Cosigner(config.WITNESS_NAME, await loadWitnessKey(config.WITNESS_SIGNING_KEY, repository));
    const metrics = new WitnessMetrics();
    const addCheckpoint = new AddCheckpointService(repository, cosigner, logVerifiersByOrigin(config.WITNESS_LOG_KEYS), metrics, logger);

    const routes: Record<string, Partial<Record<string, Route>>> = {
      '/add-checkpoint': { POST: async (request) => addCheckpoint.execute(await readBody(request)) },
      '/verifier-key': { GET: async () => text(200, `${cosigner.verifierKey}\n`) },
      '/health': {
        GET: async () => {
          await repository.ping();
          return text(200, '{"status":"ok"}', 'application/json');
        },
      },
      '/metrics': { GET: async () => text(200, await metrics.registry.metrics(), metrics.registry.contentType) },
    };

    const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      const path = new URL(request.url ?? '/', 'http://witness').pathname;
      const methods = routes[path];
      let answer: WitnessAnswer;
      try {
        if (!methods) answer = text(404, 'not found\n');
        else {
          const route = methods[request.method ?? ''];
          if (!route) {
            response.setHeader('Allow', Object.keys(methods).join(', '));
            answer = text(405, 'method not allowed\n');
          } else answer = await route(request);
        }
      } catch (error) {
        if (error instanceof PayloadTooLarge) answer = text(413, 'body too large\n');
        else if (isTransientConnectError(error)) {
          // Its database stopped or restarting: the log submits the checkpoint again, and a monitor sees "not now".
          logger.warn({ path, reason: (error as Error).message }, 'witness database not reachable');
          response.setHeader('Retry-After', String(BUSY_RETRY_S));
          answer = text(503, 'database not reachable\n');
        } else {
          logger.error({ err: error, path }, 'witness request failed');
          answer = text(500, 'internal error\n');
        }
      }
      response.writeHead(answer.status, { 'Content-Type': answer.contentType, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      response.end(answer.body);
    };

    const server: Server = createServer((request, response) => void handle(request, response));
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.WITNESS_PORT, host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    logger.info({ port, name: cosigner.name, verifierKey: cosigner.verifierKey, logs: config.WITNESS_LOG_KEYS }, 'witness listening');
    if (config.WITNESS_LOG_KEYS.length === 0) logger.warn('WITNESS_LOG_KEYS is empty: every checkpoint is of an unknown log (404) until it names the registry key');
    return {
      url: `http://127.0.0.1:${port}`,
      verifierKey: cosigner.verifierKey,
      name: cosigner.name,
      metrics,
      close: async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
