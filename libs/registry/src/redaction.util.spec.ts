import { describe, expect, it } from '@jest/globals';
import { canonicalJson, sha256Hex } from '@app/integrity';
import { applyRedactions, newRedactionSalt, redactionCommitment, type RedactableRecord } from './redaction.util.js';

const record = (): RedactableRecord & { id: string } => ({
  id: 'r1',
  model: { baseModels: [{ modelVersionId: 'm1' }, { external: { name: 'base', origin: 'https://example.org/base' } }] },
  opinions: [
    { basis: 'first basis', conditions: [{ text: 'keep it gated' }, { text: 'no api', component: 'weights' }] },
    { basis: null, conditions: [] },
    { basis: { sha256: 'a'.repeat(64), length: 3000 }, conditions: [] },
  ],
});

const counter = () => {
  let n = 0;
  return () => String(++n).padStart(64, '0');
};

describe(applyRedactions.name, () => {
  it('nulls every basis that holds a value and commits to each with its concrete path', () => {
    const source = record();
    const sut = applyRedactions(source, [{ path: '$.opinions[*].basis', reason: 'commercial' }], counter());
    expect(sut.record.opinions.map((o) => o.basis)).toEqual([null, null, null]);
    expect(sut.redactions.map((r) => r.path)).toEqual(['$.opinions[0].basis', '$.opinions[2].basis']);
    expect(sut.withheld[0]).toEqual({ path: '$.opinions[0].basis', reason: 'commercial', salt: '0'.repeat(63) + '1', value: 'first basis' });
    expect(sut.redactions[0].commitment).toBe(sha256Hex(canonicalJson({ salt: sut.withheld[0].salt, value: 'first basis' })));
    expect(sut.redactions[1].commitment).toBe(redactionCommitment(sut.withheld[1].salt, { sha256: 'a'.repeat(64), length: 3000 }));
    // The caller's record is untouched.
    expect(source.opinions[0].basis).toBe('first basis');
  });

  it('withholds condition texts and external origins, leaving their siblings', () => {
    const sut = applyRedactions(
      record(),
      [
        { path: '$.opinions[*].conditions[*].text', reason: 'security' },
        { path: '$.model.baseModels[*].external.origin', reason: 'personal' },
      ],
      counter(),
    );
    expect(sut.record.opinions[0].conditions).toEqual([{ text: null }, { text: null, component: 'weights' }]);
    expect(sut.record.model.baseModels).toEqual([{ modelVersionId: 'm1' }, { external: { name: 'base', origin: null } }]);
    expect(sut.redactions.map((r) => [r.path, r.reason])).toEqual([
      ['$.opinions[0].conditions[0].text', 'security'],
      ['$.opinions[0].conditions[1].text', 'security'],
      ['$.model.baseModels[1].external.origin', 'personal'],
    ]);
    expect(sut.record.opinions[0].basis).toBe('first basis');
  });

  it('withholds nothing without rules, and nothing more for a repeated rule', () => {
    expect(applyRedactions(record(), []).redactions).toEqual([]);
    const rule = { path: '$.opinions[*].basis', reason: 'security' } as const;
    expect(applyRedactions(record(), [rule, { ...rule, reason: 'personal' }]).redactions.map((r) => r.reason)).toEqual(['security', 'security']);
  });

  it('salts are 32 random bytes in lowercase hex, so equal values commit differently', () => {
    const [a, b] = [newRedactionSalt(), newRedactionSalt()];
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(redactionCommitment(a, 'x')).not.toBe(redactionCommitment(b, 'x'));
  });
});
