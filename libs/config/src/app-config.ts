import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from './shutdown-bound.js';

/** DATABASE_CONNECT_TIMEOUT_MS's default, also for the tools and the witness that open a pool without this config. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Express's named ranges for `trust proxy`. */
const NAMED_PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as Express's `trust proxy` value: a number of proxy hops, or the proxies' addresses,
 * CIDR ranges and named ranges; null when unset (the socket peer is the client). "Trust every
 * address" (`true`, `*`, a /0 range) is refused: then any client could name its own address in
 * X-Forwarded-For and escape the wrong-token limiter.
 */
export const parseTrustProxy = (value: string, ctx: z.RefinementCtx): number | string[] | null => {
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops >= 1 && hops <= 10) return hops;
    ctx.addIssue({ code: 'custom', message: 'a number of proxy hops must be 1 to 10' });
    return z.NEVER;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (NAMED_PROXY_RANGES.has(entry)) continue;
    const [address, bits, ...rest] = entry.split('/');
    const valid = address !== undefined && ipaddr.isValid(address) && rest.length === 0 && (bits === undefined || ipaddr.isValidCIDR(entry));
    if (!valid) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not a hop count, an IP address, a CIDR range or one of loopback, linklocal, uniquelocal` });
      return z.NEVER;
    }
    if (bits !== undefined && Number(bits) === 0) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" trusts every address: any client could choose the address it is limited by` });
      return z.NEVER;
    }
  }
  return entries;
};

/** SHUTDOWN_TIMEOUT_MS, read by api, worker and witness alike. */
export const shutdownTimeout = z.coerce
  .number()
  .int()
  .min(100)
  .max(600_000)
  .default(DEFAULT_SHUTDOWN_TIMEOUT_MS)
  .describe('after SIGTERM or SIGINT, how long the process may take to close gracefully before it exits anyway (code 1)');

/** Every variable Clearance reads, described once; parsed at boot and never again. */
const environmentSchema = z.object({
  DATABASE_URL: z
    .string()
    .url()
    .default('postgres://postgres@127.0.0.1:5432/clearance')
    .describe(
      'PostgreSQL connection URL of the owner: `npm run migrate` connects with it, creates the database if missing and owns the schema; api and worker connect as DATABASE_APP_ROLE',
    ),
  DATABASE_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case Postgres role name (letters, digits, _; at most 63)')
    .refine((name) => !name.startsWith('pg_'), 'must not start with pg_ (reserved by Postgres)')
    .default('clearance_app')
    .describe('least-privilege login role that api and worker connect as; `npm run migrate` creates or updates it'),
  DATABASE_APP_PASSWORD: z
    .string()
    .min(1, 'must not be empty')
    .optional()
    .describe("secret: password of DATABASE_APP_ROLE; default: the password in DATABASE_URL (none when it has none)"),
  DATABASE_NAMED_STATEMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('run repeated parameterized statements as named prepared statements, parsed once per connection; false behind a pooler in transaction mode'),
  DATABASE_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(4)
    .max(200)
    // 12, not 20: on two cores, 12 connections per process served the lifecycle bench 15 % faster (docs/benchmarks.md).
    .default(12)
    .describe('Postgres connections per api or worker process at most; every process holds its own pool, so the server must allow the sum'),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(DEFAULT_CONNECT_TIMEOUT_MS)
    .describe('how long a request waits for a Postgres connection (a new one to open, or a busy pool to free one) before it answers 503 unavailable'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379').describe('Redis connection URL (jobs only)'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port of the api'),
  // A short bootstrap token is guessable; 16 characters is the floor SPEC.md sets (outside clients choose 16+).
  ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('secret: the bootstrap admin token; when it changes between starts the old one is revoked (operator log)'),
  REDIS_PREFIX: z.string().min(1).default('clearance').describe('BullMQ key prefix, so several deployments share a Redis'),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('allow webhook targets on private, loopback or link-local addresses'),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8).describe('delivery attempts before a dead letter'),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).default(2000).describe('first retry delay; doubles each attempt'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000).describe('the whole of one webhook attempt, from resolving its host to the response\'s status line; a receiver answering slower fails the attempt; also bounds resolving a target at registration'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OUTBOX_LEASE_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(60_000)
    .describe('a relayed job not acknowledged within this time is sent again (Redis lost it)'),
  DEADLINE_SWEEP_MS: z.coerce.number().int().min(100).default(30_000).describe('how often the sweep fires deadlines Redis lost and queues the jobs of those due within twice this period'),
  SUMMARY_MIN_CASES: z.coerce
    .number()
    .int()
    .min(0)
    .default(100_000)
    .describe('from this many cases on, queue counts and statistics are served from a summary refreshed in the background (0: always)'),
  SUMMARY_REFRESH_SECONDS: z.coerce.number().int().min(1).default(60).describe('a summary older than this is refreshed in the background; answers show its age'),
  SUMMARY_REFRESH_PACE: z.coerce
    .number()
    .min(1)
    .default(100)
    .describe('a summary is refreshed no sooner than this many times its last computation took, so refreshes take at most this share (1/N) of the database'),
  RELAY_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(1000)
    .describe('how often the outbox relay polls besides being woken over Redis when rows are committed (a safety net)'),
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('secret: bearer token a Prometheus scraper sends to /metrics (admins\' tokens are accepted too)'),
  AUTH_FAILURES_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(60)
    .describe('wrong tokens one address may send in a minute before it is answered 429 instead of 401'),
  TRUST_PROXY: z
    .string()
    .default('')
    .transform(parseTrustProxy)
    .describe(
      'the reverse proxies in front of the api (hop count, addresses, CIDR ranges or loopback/linklocal/uniquelocal): a request from one of them is from the address X-Forwarded-For names, for the wrong-token limiter and the request log; unset, the socket peer',
    ),
  REGISTRY_CHECKPOINT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(1000)
    .describe('the worker signs a transparency-log checkpoint at most this long after the tree grows (and at most one per second)'),
  REGISTRY_HEADS_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(60_000)
    .describe('the worker logs a `heads` entry (every case\'s chain head) at most this often, when some case\'s history grew'),
  REGISTRY_LOG_ORIGIN: z
    .string()
    .regex(/^[^\s+]+$/, 'must be one word without spaces or +')
    .default('clearance.example/registry')
    .describe('origin line of the registry log\'s checkpoints, and the name of its signed-note key'),
  REGISTRY_SIGNING_KEY: z
    .string()
    .min(1, 'must not be empty')
    .optional()
    .describe('secret: the registry\'s Ed25519 key, PKCS#8 PEM or the path of a file holding it; unset, a key generated once is kept in Postgres'),
  CURSOR_KEY: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe('secret: signs list cursors; unset, a key generated once is kept in Postgres, so every api replica reads every cursor'),
  REGISTRY_WITNESSES: z
    .string()
    .default('')
    .transform((value, context) => {
      const urls = value.split(',').map((url) => url.trim()).filter((url) => url.length > 0);
      for (const url of urls) if (!/^https?:\/\//.test(url) || !URL.canParse(url)) context.addIssue({ code: 'custom', message: `not an http(s) URL: ${url}` });
      return urls;
    })
    .describe('base URLs of the witnesses the log submits each checkpoint to (C2SP tlog-witness add-checkpoint), comma-separated'),
  REGISTRY_WITNESS_KEYS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((key) => key.trim()).filter((key) => key.length > 0))
    .describe('cosignature/v1 verifier keys of REGISTRY_WITNESSES, same order, comma-separated; unset, each is read from the witness\'s GET /verifier-key'),
  EVIDENCE_MAX_CASE_MB: z.coerce
    .number()
    .int()
    .min(1)
    .default(1024)
    .describe('total evidence of one case, in MiB; an upload that would pass it is 413'),
  EVIDENCE_MAX_ORGANISATION_MB: z.coerce
    .number()
    .int()
    .min(1)
    .default(20480)
    .describe('total evidence of one developer organisation across its cases, in MiB; an upload that would pass it is 413'),
  ANSWERS_QUEUED_MAX_MB: z.coerce
    .number()
    .int()
    .min(16)
    .default(512)
    .describe('answers an api process holds for clients that have not yet taken them, in MiB in all; past it the clients that have waited longest are disconnected'),
  TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(90).describe('lifetime of a bearer token issued without `expiresAt` (at most 365 days)'),
  SHUTDOWN_TIMEOUT_MS: shutdownTimeout,
});

/** DATABASE_URL with its user and password replaced by the app role's. */
const appDatabaseUrl = (databaseUrl: string, role: string, password: string | undefined): string => {
  const url = new URL(databaseUrl);
  url.username = encodeURIComponent(role);
  url.password = password === undefined ? url.password : encodeURIComponent(password);
  return url.toString();
};

/** The owner's user name in DATABASE_URL (empty when it names none or is not a URL, which its own check reports). */
const databaseUser = (databaseUrl: string): string => (URL.canParse(databaseUrl) ? decodeURIComponent(new URL(databaseUrl).username) : '');

const configSchema = environmentSchema
  .refine((env) => env.DATABASE_APP_ROLE !== databaseUser(env.DATABASE_URL), {
    path: ['DATABASE_APP_ROLE'],
    message: 'must differ from the user of DATABASE_URL (the app role owns nothing)',
  })
  .transform((env) => ({
    ...env,
    /** Derived, not read: where api and worker connect (DATABASE_URL as DATABASE_APP_ROLE). */
    DATABASE_APP_URL: appDatabaseUrl(env.DATABASE_URL, env.DATABASE_APP_ROLE, env.DATABASE_APP_PASSWORD),
  }));

export type AppConfig = z.infer<typeof configSchema>;

/** The login role api and worker use, as `npm run migrate` creates it: `password` null when none is configured. */
export interface AppDatabaseRole {
  name: string;
  password: string | null;
}

export const appDatabaseRole = (config: Pick<AppConfig, 'DATABASE_APP_URL'>): AppDatabaseRole => {
  const url = new URL(config.DATABASE_APP_URL);
  return { name: decodeURIComponent(url.username), password: url.password ? decodeURIComponent(url.password) : null };
};

export class ConfigError extends Error {}

/** Parses the environment; a bad value throws a ConfigError naming every variable at fault. */
export const parseConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
};

/** For entry points: parse or exit with a message naming the variable. */
export const loadConfigOrExit = (): AppConfig => {
  try {
    return parseConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
};

export const APP_CONFIG = Symbol('APP_CONFIG');
