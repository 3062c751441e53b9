import { z } from 'zod';

/** Every variable Clearance reads, described once; parsed at boot and never again. */
const environmentSchema = z.object({
  DATABASE_URL: z
    .string()
    .url()
    .default('postgres://postgres@127.0.0.1:5432/clearance')
    .describe('PostgreSQL connection URL; the database is created by `npm run migrate` if missing'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379').describe('Redis connection URL (jobs only)'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port of the api'),
  // A short bootstrap token is guessable; 16 characters is the floor SPEC.md sets (outside clients choose 16+).
  ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('secret: bootstrap admin token, used only when no admin exists'),
  REDIS_PREFIX: z.string().min(1).default('clearance').describe('BullMQ key prefix, so several deployments share a Redis'),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('allow webhook targets on private, loopback or link-local addresses'),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8).describe('delivery attempts before a dead letter'),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).default(2000).describe('first retry delay; doubles each attempt'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000).describe('per-attempt timeout of a webhook POST'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OUTBOX_LEASE_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(60_000)
    .describe('a relayed job not acknowledged within this time is sent again (Redis lost it)'),
  DEADLINE_SWEEP_MS: z.coerce.number().int().min(100).default(30_000).describe('how often the sweep fires deadlines Redis lost'),
  RELAY_INTERVAL_MS: z.coerce.number().int().min(10).default(200).describe('how often the outbox relay polls'),
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
  REGISTRY_CHECKPOINT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(300_000)
    .describe('how often the worker signs a public registry checkpoint over the case chain heads (skipped when no head changed)'),
});

export type AppConfig = z.infer<typeof environmentSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value throws a ConfigError naming every variable at fault. */
export const parseConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const result = environmentSchema.safeParse(env);
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
