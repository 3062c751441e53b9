import { describe, expect, it } from '@jest/globals';
import { toJsonPath } from './json-path.util.js';

describe(toJsonPath.name, () => {
  it('roots at $ and uses brackets for indices', () => {
    expect(toJsonPath([])).toBe('$');
    expect(toJsonPath(['components', 0, 'release'])).toBe('$.components[0].release');
  });

  it('quotes keys that are not identifiers', () => {
    expect(toJsonPath(['intended use'])).toBe('$["intended use"]');
  });
});
