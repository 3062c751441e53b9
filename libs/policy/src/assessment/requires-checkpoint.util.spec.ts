import { describe, expect, it } from '@jest/globals';
import { requiresCheckpoint as sut } from './requires-checkpoint.util.js';

describe(sut.name, () => {
  it('is true when model_parameters is above internal', () => {
    expect(sut({ components: [{ component: 'model_parameters', release: 'api' }] })).toBe(true);
  });

  it('is false at internal, for other components, and with no components', () => {
    expect(sut({ components: [{ component: 'model_parameters', release: 'internal' }] })).toBe(false);
    expect(sut({ components: [{ component: 'intermediate_parameters', release: 'open' }] })).toBe(false);
    expect(sut({})).toBe(false);
  });
});
