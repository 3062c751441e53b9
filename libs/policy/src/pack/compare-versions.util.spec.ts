import { describe, expect, it } from '@jest/globals';
import { compareVersions as sut } from './compare-versions.util.js';

describe(sut.name, () => {
  it('compares segments numerically', () => {
    expect(sut('1.10', '1.9')).toBeGreaterThan(0);
    expect(sut('2', '10')).toBeLessThan(0);
    expect(sut('1.2', '1.2')).toBe(0);
  });

  it('handles integers beyond Number precision', () => {
    expect(sut('90071992547409931', '90071992547409930')).toBeGreaterThan(0);
  });

  it('never treats distinct strings as equal', () => {
    expect(sut('1', '1.0')).toBeLessThan(0);
    expect(sut('1.0', '1')).toBeGreaterThan(0);
  });

  it('sorts a list', () => {
    expect(['1.10', '1', '1.2', '0.9'].sort(sut)).toEqual(['0.9', '1', '1.2', '1.10']);
  });
});
