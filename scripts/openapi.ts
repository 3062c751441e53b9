/**
 * Writes the api's OpenAPI document and the web app's generated types, without Postgres or
 * Redis: Nest's preview mode registers the routes but instantiates nothing.
 *
 *   node dist/scripts/openapi.js           writes apps/web/src/api/{openapi.json,schema.d.ts}
 *   node dist/scripts/openapi.js --check   generates into a temporary directory and fails if
 *                                          the committed files differ
 *
 * `npm run client:generate` and `npm run client:check` build first and run this.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { parseConfig } from '@app/config';
import { AppModule } from '../apps/api/src/app.module.js';
import { buildOpenApiDocument } from '../apps/api/src/openapi.js';

const CLIENT_DIR = resolve(process.cwd(), 'apps/web/src/api');
const FILES = ['openapi.json', 'schema.d.ts'] as const;

const generate = async (dir: string): Promise<void> => {
  // Addresses that nothing listens on: preview mode never connects, and this proves it.
  const config = parseConfig({ DATABASE_URL: 'postgres://openapi@127.0.0.1:9/none', REDIS_URL: 'redis://127.0.0.1:9', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false, abortOnError: false });
  const document = buildOpenApiDocument(app);
  await app.close();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  execFileSync(resolve(process.cwd(), 'node_modules/.bin/openapi-typescript'), [join(dir, 'openapi.json'), '--output', join(dir, 'schema.d.ts')], {
    // Run beside the output, not at the root: there it would lint with the root's redocly.yaml,
    // whose rules belong to `npm run docs:lint`, not to generating types.
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
};

const check = async (): Promise<number> => {
  const scratch = mkdtempSync(join(tmpdir(), 'clearance-client-'));
  try {
    await generate(scratch);
    const stale = FILES.filter((file) => {
      const committed = join(CLIENT_DIR, file);
      return !existsSync(committed) || readFileSync(committed, 'utf8') !== readFileSync(join(scratch, file), 'utf8');
    });
    if (stale.length === 0) {
      process.stdout.write('client:check: the generated API client is up to date\n');
      return 0;
    }
    process.stderr.write(
      `client:check: stale generated API client: ${stale.map((f) => `apps/web/src/api/${f}`).join(', ')} ` +
        `${stale.length === 1 ? 'differs' : 'differ'} from what the api's routes produce.\nRun \`npm run client:generate\` and commit the result.\n`,
    );
    return 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
};

if (process.argv.includes('--check')) {
  process.exitCode = await check();
} else {
  await generate(CLIENT_DIR);
  process.stdout.write(`client:generate: wrote ${FILES.map((f) => `apps/web/src/api/${f}`).join(' and ')}\n`);
}
