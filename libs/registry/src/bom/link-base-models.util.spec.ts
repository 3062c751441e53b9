import { describe, expect, it } from '@jest/globals';
import type { BaseModelClaim, LineageReading } from './base-model-claim.js';
import { linkBaseModels, matchModelVersion, type ModelVersionCandidate } from './link-base-models.util.js';

const sha = (c: string) => c.repeat(64);
const candidate = (id: string, name: string, version: string, checkpointSha256: string | null = null): ModelVersionCandidate => ({ id, name, version, checkpointSha256 });
const claim = (overrides: Partial<BaseModelClaim>): BaseModelClaim => ({ path: '$.x[0]', name: 'base', origin: 'pkg:generic/base', hubId: false, ...overrides });
const reading = (claims: BaseModelClaim[], sha256?: string): Extract<LineageReading, { ok: true }> => ({ ok: true, model: { path: '$.metadata.component', sha256 }, claims });
const self = { id: 'self', checkpointSha256: sha('f') };

describe(matchModelVersion.name, () => {
  const candidates = [candidate('a', 'base', '1.0', sha('a')), candidate('b', 'base', '2.0', sha('b')), candidate('c', 'other', '1.0', sha('a'))];

  it('matches by SHA-256 first, then by name and version', () => {
    expect(matchModelVersion(claim({ sha256: sha('b'), version: '1.0' }), candidates)?.id).toBe('b');
    expect(matchModelVersion(claim({ sha256: sha('9'), version: '1.0' }), candidates)?.id).toBe('a');
    expect(matchModelVersion(claim({ version: '2.0' }), candidates)?.id).toBe('b');
  });

  it('falls back to name and version when a SHA-256 names two model versions, and matches nothing ambiguous', () => {
    expect(matchModelVersion(claim({ name: 'other', sha256: sha('a'), version: '1.0' }), candidates)?.id).toBe('c');
    expect(matchModelVersion(claim({ name: 'nope', sha256: sha('a'), version: '1.0' }), candidates)).toBeUndefined();
    expect(matchModelVersion(claim({}), candidates)).toBeUndefined();
  });

  it('matches a Hub id by name alone, when exactly one model version has that name', () => {
    expect(matchModelVersion(claim({ name: 'other', hubId: true }), candidates)?.id).toBe('c');
    expect(matchModelVersion(claim({ name: 'base', hubId: true }), candidates)).toBeUndefined();
  });
});

describe(linkBaseModels.name, () => {
  it('links matches with their relation and keeps the others external with name@version, origin and SHA-256', () => {
    const result = linkBaseModels(
      reading([claim({ version: '1.0', relation: 'finetune' }), claim({ name: 'hub/x', version: '3', sha256: sha('c'), origin: 'https://example.org/x' }), claim({ name: 'y' })]),
      [candidate('a', 'base', '1.0')],
      self,
    );
    expect(result).toEqual({
      ok: true,
      baseModels: [
        { modelVersionId: 'a', relation: 'finetune' },
        { external: { name: 'hub/x@3', origin: 'https://example.org/x', sha256: sha('c') } },
        { external: { name: 'y', origin: 'pkg:generic/base' } },
      ],
    });
  });

  it('refuses a document naming the case\'s own model version, or another checkpoint for the model', () => {
    const result = linkBaseModels(reading([claim({ sha256: sha('f') })], sha('e')), [candidate('self', 'me', '1.0', sha('f'))], self);
    expect(result).toEqual({
      ok: false,
      problems: [
        { path: '$.metadata.component.hashes', message: 'the SHA-256 differs from the case\'s recorded checkpointSha256: this BOM describes another model' },
        { path: '$.x[0]', message: 'names the case\'s own model version: a model version cannot descend from itself' },
      ],
    });
    expect(linkBaseModels(reading([], sha('e')), [], { id: 'self', checkpointSha256: null }).ok).toBe(true);
  });

  it('refuses an external name or origin longer than PATCH takes', () => {
    const result = linkBaseModels(reading([claim({ name: 'n'.repeat(301) }), claim({ origin: 'o'.repeat(2001) })]), [], self);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(['$.x[0].name', '$.x[0]']);
  });
});
