import { describe, expect, it } from '@jest/globals';
import { isIsoDuration, parseIsoDuration as sut } from './iso-duration.util.js';

const HOUR = 3_600_000;

describe(sut.name, () => {
  it.each([
    ['P5D', 5 * 24 * HOUR],
    ['P2W', 14 * 24 * HOUR],
    ['PT36H', 36 * HOUR],
    ['P1DT2H30M', 26.5 * HOUR],
    ['PT1.5S', 1500],
    ['PT0.001S', 1],
  ])('parses %s', (input, ms) => {
    expect(sut(input)).toBe(ms);
  });

  it.each(['P1Y', 'P1M', 'P', 'PT', '5D', 'P1.5D', 'P1DT', 'p5d', 'PT1H2S3M'])('rejects %s', (input) => {
    expect(() => sut(input)).toThrow(RangeError);
    expect(isIsoDuration(input)).toBe(false);
  });
});
