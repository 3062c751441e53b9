import { describe, expect, it } from '@jest/globals';
import { CAIP_2025 } from './caip-2025.pack.js';
import { latestPack } from './latest-pack.util.js';
import { packRef, parsePackRef } from './pack-ref.util.js';

describe(packRef.name, () => {
  it('joins id and version with @', () => {
    expect(packRef(CAIP_2025)).toBe('caip-2025@1');
  });
});

describe(parsePackRef.name, () => {
  it('round-trips a reference', () => {
    expect(parsePackRef('caip-2025@1.2')).toEqual({ id: 'caip-2025', version: '1.2' });
  });

  it.each(['caip-2025', 'caip-2025@', '@1', 'CAIP@1', 'caip@1.x', 'caip@01', 'a@1@2'])('rejects %s', (ref) => {
    expect(parsePackRef(ref)).toBeNull();
  });
});

describe(latestPack.name, () => {
  it('picks the highest version of the named pack only', () => {
    const packs = [
      { id: 'caip-2025', version: '1.9' },
      { id: 'caip-2025', version: '1.10' },
      { id: 'other', version: '7' },
    ];
    expect(latestPack(packs, 'caip-2025')).toBe(packs[1]);
    expect(latestPack(packs, 'missing')).toBeUndefined();
  });
});
