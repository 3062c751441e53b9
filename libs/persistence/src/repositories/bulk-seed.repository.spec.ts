import { describe, expect, it } from '@jest/globals';
import { copyLine } from './bulk-seed.repository.js';

describe('copyLine', () => {
  it('writes nulls as \\N, booleans as t/f, and fields tab-separated with a closing newline', () => {
    expect(copyLine(['a', null, undefined, true, false, 7, '{}'])).toBe('a\t\\N\t\\N\tt\tf\t7\t{}\n');
  });

  it('escapes the backslash, tab and line breaks that JSON text may hold, so COPY reads the text back unchanged', () => {
    const json = JSON.stringify({ note: 'line one\nline "two"\ttabbed \\ slash\r' });
    expect(copyLine([json])).toBe(`${json.replace(/\\/g, '\\\\')}\n`);
    expect(copyLine(['x\ny\tz\\'])).toBe('x\\ny\\tz\\\\\n');
  });
});
