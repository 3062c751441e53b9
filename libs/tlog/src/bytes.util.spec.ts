import { describe, it, expect } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBase64Strict, isCanonicalDecimal } from './bytes.util.js';

describe('strict encodings', () => {
  it('accepts only canonical, padded standard base64', () => {
    expect(decodeBase64Strict('aGVsbG8=')?.toString()).toBe('hello');
    expect(decodeBase64Strict('')?.length).toBe(0);
    for (const bad of ['aGVsbG8', 'aGVsbG9=', 'aGVs bG8=', 'aGVsbG8==', 'aGV-bG8=', 'aGVsbG8=\n', 'QUJDQUJD=']) {
      expect([bad, decodeBase64Strict(bad)]).toEqual([bad, null]);
    }
  });

  it('accepts decimals without leading zeros within the safe range', () => {
    expect(['0', '7', '20852163', String(Number.MAX_SAFE_INTEGER)].every(isCanonicalDecimal)).toBe(true);
    expect(['', '00', '07', '-1', '+1', '1.0', ' 1', String(2 ** 53)].some(isCanonicalDecimal)).toBe(false);
  });
});

describe('library imports', () => {
  // clearance-verify loads the compiled library with nothing installed: node built-ins only.
  it('imports nothing but node:crypto, node:buffer and its own files', () => {
    const dir = join(process.cwd(), 'libs/tlog/src');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    expect(sources.length).toBeGreaterThan(10);
    let imports = 0;
    for (const file of sources) {
      const specifiers = [...readFileSync(join(dir, file), 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'/gm)].map((m) => m[1] ?? m[2]);
      for (const specifier of specifiers) {
        expect([file, specifier, /^(?:node:crypto|node:buffer|\.\/[a-z0-9-]+(?:\.[a-z0-9-]+)*\.js)$/.test(specifier)]).toEqual([file, specifier, true]);
        imports += 1;
      }
    }
    expect(imports).toBeGreaterThan(30);
  });
});
