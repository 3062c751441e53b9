import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { USAGE } from './verify-cli.js';
import { verify } from './testing/verify-world.fixture.js';

describe('clearance-verify command line', () => {
  it('prints the usage on --help (exit 0) and without arguments (exit 2)', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['record', '--help']]) {
      const result = await verify(...argv);
      expect([argv, result.code, result.out]).toEqual([argv, 0, [USAGE]]);
    }
    const bare = await verify();
    expect([bare.code, bare.err]).toEqual([2, [USAGE]]);
  });

  it('names a usage error with exit 2: unknown command, unknown option, missing argument, unreadable file', async () => {
    const cases: [string[], RegExp][] = [
      [['records', 'x.json'], /^clearance-verify: unknown command records$/],
      [['checkpoint', 'cp.txt', '--log-key', 'k', '--bogus'], /^clearance-verify: checkpoint: Unknown option '--bogus'/],
      [['consistency', 'old.txt', '--log-key', 'k'], /^clearance-verify: consistency takes <old\.txt> <new\.txt>$/],
      [['record', 'r.json'], /^clearance-verify: record needs --keys$/],
      [['history', '/nonexistent/history.json', '--case', 'c'], /^clearance-verify: cannot read history \/nonexistent\/history\.json/],
    ];
    for (const [argv, message] of cases) {
      const result = await verify(...argv);
      expect([argv, result.code, result.err[0]]).toEqual([argv, 2, expect.stringMatching(message)]);
      expect(result.err[1]).toBe('Run clearance-verify --help for usage.');
    }
  });

  // The bin must run from the compiled output with nothing installed: node built-ins and libs/tlog only.
  it('imports nothing but node built-ins, @app/tlog and its own files', () => {
    const dir = join(process.cwd(), 'apps/verify/src');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    expect(sources.length).toBeGreaterThan(8);
    let imports = 0;
    for (const file of sources) {
      const text = readFileSync(join(dir, file), 'utf8');
      const specifiers = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'/gm)].map((m) => m[1] ?? m[2]);
      for (const specifier of specifiers) {
        expect([file, specifier, /^(?:node:[a-z]+|@app\/tlog|\.\/[a-z0-9-]+(?:\.[a-z0-9-]+)*\.js)$/.test(specifier)]).toEqual([file, specifier, true]);
        imports += 1;
      }
    }
    expect(imports).toBeGreaterThan(20);
  });
});
