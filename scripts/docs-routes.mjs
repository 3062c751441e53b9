/**
 * Writes the routes table of docs/api.md from the committed OpenAPI document, so the table
 * cannot drift from the routes the api serves.
 *
 *   node scripts/docs-routes.mjs           rewrites the table between the markers in docs/api.md
 *   node scripts/docs-routes.mjs --check   fails if the table differs from what the document gives
 *
 * `npm run docs:generate` runs the first (after `npm run client:generate`); `npm run docs:lint`
 * runs the second. Plain Node, no build: it reads apps/web/src/api/openapi.json only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const DOCUMENT = resolve(process.cwd(), 'apps/web/src/api/openapi.json');
const TARGET = resolve(process.cwd(), 'docs/api.md');
const BEGIN = '<!-- routes:begin — generated from apps/web/src/api/openapi.json by `npm run docs:generate`; do not edit -->';
const END = '<!-- routes:end -->';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** Each description opens with who may call the route, up to the first full stop or colon. */
const who = (operation, anyone) => {
  const opening = /^(.+?)[.:](?:\s|$)/.exec(operation.description ?? '')?.[1];
  if (!opening) throw new Error(`${operation.operationId}: the description must open with who may call it`);
  if (anyone !== /^No token\b/.test(opening)) throw new Error(`${operation.operationId}: "No token" must open the description exactly when security is []`);
  return opening;
};

const cell = (text) => String(text ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

const routesTable = (document) => {
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ method, path, operation: item[method] })),
  );
  const tags = (document.tags ?? []).map((tag) => tag.name);
  const lines = [];
  for (const tag of tags) {
    const ofTag = operations.filter(({ operation }) => (operation.tags ?? [])[0] === tag);
    if (ofTag.length === 0) continue;
    const description = document.tags.find((t) => t.name === tag)?.description ?? '';
    lines.push(`### ${tag}`, '', cell(description), '', '| route | who | what it does |', '|---|---|---|');
    for (const { method, path, operation } of ofTag) {
      const security = operation.security ?? document.security ?? [];
      const anyone = security.length === 0;
      lines.push(`| \`${method.toUpperCase()} ${path}\` | ${cell(who(operation, anyone))} | ${cell(operation.summary)} |`);
    }
    lines.push('');
  }
  const untagged = operations.filter(({ operation }) => !tags.includes((operation.tags ?? [])[0]));
  if (untagged.length > 0) throw new Error(`operations without a declared tag: ${untagged.map((o) => `${o.method} ${o.path}`).join(', ')}`);
  return lines.join('\n');
};

const render = (markdown, table) => {
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/api.md needs the markers\n${BEGIN}\n${END}`);
  return `${markdown.slice(0, start)}${BEGIN}\n\n${table}\n${END}${markdown.slice(end + END.length)}`;
};

const document = JSON.parse(readFileSync(DOCUMENT, 'utf8'));
const current = readFileSync(TARGET, 'utf8');
const wanted = render(current, routesTable(document));

if (process.argv.includes('--check')) {
  if (wanted !== current) {
    process.stderr.write('docs:check: the routes table in docs/api.md is stale.\nRun `npm run docs:generate` and commit the result.\n');
    process.exitCode = 1;
  } else {
    process.stdout.write('docs:check: the routes table in docs/api.md is up to date\n');
  }
} else {
  writeFileSync(TARGET, wanted);
  process.stdout.write('docs:generate: wrote the routes table in docs/api.md\n');
}
