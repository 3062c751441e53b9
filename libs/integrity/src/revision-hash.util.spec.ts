import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { revisionHash } from './revision-hash.util.js';

const a = 'a'.repeat(64);
const b = 'b'.repeat(64);
const c = 'c'.repeat(64);

describe(revisionHash.name, () => {
  const sut = revisionHash;
  const assessment = { summary: 'ok', components: [{ name: 'weights', release: 'open' }] };

  it('hashes the JCS form of {assessment, evidence}', () => {
    const json = `{"assessment":{"components":[{"name":"weights","release":"open"}],"summary":"ok"},"evidence":["${a}","${b}"]}`;
    expect(sut(assessment, [b, a])).toBe(createHash('sha256').update(json).digest('hex'));
  });

  it('does not depend on the order of the evidence', () => {
    expect(sut(assessment, [c, a, b])).toBe(sut(assessment, [a, b, c]));
    expect(sut(assessment, [b, c, a])).toBe(sut(assessment, [a, b, c]));
  });

  it('ignores duplicate evidence', () => {
    expect(sut(assessment, [a, b, a, b])).toBe(sut(assessment, [a, b]));
  });

  it('changes with the evidence set', () => {
    expect(sut(assessment, [a, b])).not.toBe(sut(assessment, [a]));
    expect(sut(assessment, [])).not.toBe(sut(assessment, [a]));
  });

  it('changes with the assessment but not with its key order', () => {
    expect(sut({ ...assessment, summary: 'ok!' }, [a])).not.toBe(sut(assessment, [a]));
    expect(sut({ components: assessment.components, summary: 'ok' }, [a])).toBe(sut(assessment, [a]));
  });

  it('does not sort the caller array in place', () => {
    const evidence = [b, a];
    sut(assessment, evidence);
    expect(evidence).toEqual([b, a]);
  });
});
