import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SIGNATURE_TYPE_ED25519, isValidKeyName, parseVerifierKey } from '@app/tlog';
import { ConfigError, shutdownTimeout } from './app-config.js';

const roleName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case Postgres role name (letters, digits, _; at most 63)')
  .refine((name) => !name.startsWith('pg_'), 'must not start with pg_ (reserved by Postgres)');

/** A PKCS#8 PEM inline, or the path of a file holding one. */
const pemOrPath = (value: string): string => (value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8'));

/** Every variable the witness reads (`npm run start:witness`), described once; `npm run migrate` reads the role's two. */
const witnessEnvironmentSchema = z.object({
  DATABASE_URL: z
    .string()
    .url()
    .default('postgres://postgres@127.0.0.1:5432/clearance')
    .describe("PostgreSQL connection URL of the owner; the witness connects to the same database as WITNESS_DATABASE_ROLE"),
  WITNESS_DATABASE_ROLE: roleName
    .default('clearance_witness')
    .describe('least-privilege login role of the witness (its own schema `witness` only); `npm run migrate` creates or updates it'),
  WITNESS_DATABASE_PASSWORD: z
    .string()
    .min(1, 'must not be empty')
    .optional()
    .describe('secret: password of WITNESS_DATABASE_ROLE; default: the password in DATABASE_URL (none when it has none)'),
  WITNESS_PORT: z.coerce.number().int().min(0).max(65535).default(3100).describe('HTTP port of the witness (C2SP tlog-witness add-checkpoint, /metrics)'),
  WITNESS_NAME: z
    .string()
    .refine(isValidKeyName, 'must be a C2SP key name (no spaces, no +)')
    .default('clearance.example/witness')
    .describe('the witness key name in its cosignature lines and verifier key'),
  WITNESS_SIGNING_KEY: z
    .string()
    .min(1, 'must not be empty')
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      try {
        return pemOrPath(value);
      } catch {
        context.addIssue({ code: 'custom', message: 'is neither a PEM nor a readable file' });
        return z.NEVER;
      }
    })
    .describe('secret: the Ed25519 cosigning key, PKCS#8 PEM or a file path; unset, a key generated once is kept in the witness schema'),
  WITNESS_LOG_KEYS: z
    .string()
    .default('')
    .transform((value, context) => {
      const keys = value.split(',').map((key) => key.trim()).filter((key) => key.length > 0);
      for (const key of keys) {
        if (parseVerifierKey(key)?.type !== SIGNATURE_TYPE_ED25519) context.addIssue({ code: 'custom', message: `not an Ed25519 C2SP verifier key: ${key}` });
      }
      return keys;
    })
    .describe('the logs the witness cosigns: C2SP verifier keys `<origin>+<hex id>+<base64>`, comma-separated (several keys of one origin are all trusted)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: shutdownTimeout,
});

/** The owner's user name in DATABASE_URL. */
const databaseUser = (databaseUrl: string): string => (URL.canParse(databaseUrl) ? decodeURIComponent(new URL(databaseUrl).username) : '');

const witnessConfigSchema = witnessEnvironmentSchema
  .refine((env) => env.WITNESS_DATABASE_ROLE !== databaseUser(env.DATABASE_URL), {
    path: ['WITNESS_DATABASE_ROLE'],
    message: 'must differ from the user of DATABASE_URL (the witness role owns nothing)',
  })
  .transform((env) => {
    const url = new URL(env.DATABASE_URL);
    url.username = encodeURIComponent(env.WITNESS_DATABASE_ROLE);
    if (env.WITNESS_DATABASE_PASSWORD !== undefined) url.password = encodeURIComponent(env.WITNESS_DATABASE_PASSWORD);
    /** Derived, not read: where the witness connects (DATABASE_URL as WITNESS_DATABASE_ROLE). */
    return { ...env, WITNESS_DATABASE_URL: url.toString() };
  });

export type WitnessConfig = z.infer<typeof witnessConfigSchema>;

/** The witness's login role as `npm run migrate` creates it: `password` null when none is configured. */
export const witnessDatabaseRole = (config: Pick<WitnessConfig, 'WITNESS_DATABASE_URL'>): { name: string; password: string | null } => {
  const url = new URL(config.WITNESS_DATABASE_URL);
  return { name: decodeURIComponent(url.username), password: url.password ? decodeURIComponent(url.password) : null };
};

/** Parses the witness's environment; a bad value throws a ConfigError naming every variable at fault. */
export const parseWitnessConfig = (env: NodeJS.ProcessEnv = process.env): WitnessConfig => {
  const result = witnessConfigSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
};

/** For the witness's entry point: parse or exit with a message naming the variable. */
export const loadWitnessConfigOrExit = (): WitnessConfig => {
  try {
    return parseWitnessConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
};
