import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519Cosigner, ed25519NoteSigner } from '@app/tlog';
import { parseConfig } from './app-config.js';
import { parseWitnessConfig, witnessDatabaseRole } from './witness-config.js';

const logKey = ed25519NoteSigner('clearance.example/registry', generateKeyPairSync('ed25519').privateKey).verifierKey;

describe(parseWitnessConfig.name, () => {
  it('defaults to port 3100, its own role on the same database, and no logs', () => {
    const sut = parseWitnessConfig({ DATABASE_URL: 'postgres://owner:pw@db:5432/clearance' });
    expect(sut).toMatchObject({ WITNESS_PORT: 3100, WITNESS_NAME: 'clearance.example/witness', WITNESS_LOG_KEYS: [] });
    expect(sut.WITNESS_SIGNING_KEY).toBeUndefined();
    expect(sut.WITNESS_DATABASE_URL).toBe('postgres://clearance_witness:pw@db:5432/clearance');
    expect(witnessDatabaseRole(sut)).toEqual({ name: 'clearance_witness', password: 'pw' });
    expect(witnessDatabaseRole(parseWitnessConfig({ DATABASE_URL: 'postgres://owner@db/c', WITNESS_DATABASE_PASSWORD: 's@cret' }))).toEqual({
      name: 'clearance_witness',
      password: 's@cret',
    });
  });

  it('reads log keys comma-separated, and the signing key inline or from a file', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const path = join(mkdtempSync(join(tmpdir(), 'witness-key-')), 'key.pem');
    writeFileSync(path, pem);
    expect(parseWitnessConfig({ WITNESS_LOG_KEYS: ` ${logKey} , ${logKey}`, WITNESS_SIGNING_KEY: pem })).toMatchObject({
      WITNESS_LOG_KEYS: [logKey, logKey],
      WITNESS_SIGNING_KEY: pem,
    });
    expect(parseWitnessConfig({ WITNESS_SIGNING_KEY: path }).WITNESS_SIGNING_KEY).toBe(pem);
  });

  it('names the variable at fault', () => {
    const cosignerKey = ed25519Cosigner('w', generateKeyPairSync('ed25519').privateKey).verifierKey;
    expect(() => parseWitnessConfig({ WITNESS_LOG_KEYS: cosignerKey })).toThrow(/WITNESS_LOG_KEYS: not an Ed25519 C2SP verifier key/);
    expect(() => parseWitnessConfig({ WITNESS_LOG_KEYS: 'nonsense' })).toThrow(/WITNESS_LOG_KEYS/);
    expect(() => parseWitnessConfig({ WITNESS_SIGNING_KEY: '/no/such/file' })).toThrow(/WITNESS_SIGNING_KEY/);
    expect(() => parseWitnessConfig({ WITNESS_NAME: 'has space' })).toThrow(/WITNESS_NAME/);
    expect(() => parseWitnessConfig({ DATABASE_URL: 'postgres://clearance_witness@db/c' })).toThrow(/WITNESS_DATABASE_ROLE/);
    expect(() => parseWitnessConfig({ WITNESS_DATABASE_ROLE: 'pg_monitor' })).toThrow(/WITNESS_DATABASE_ROLE/);
  });
});

describe('REGISTRY_WITNESSES', () => {
  it('lists base URLs and pinned keys comma-separated, refusing what is not http(s)', () => {
    expect(parseConfig({ REGISTRY_WITNESSES: 'http://w1:3100, https://w2.example/' })).toMatchObject({
      REGISTRY_WITNESSES: ['http://w1:3100', 'https://w2.example/'],
      REGISTRY_WITNESS_KEYS: [],
    });
    expect(parseConfig({}).REGISTRY_WITNESSES).toEqual([]);
    expect(() => parseConfig({ REGISTRY_WITNESSES: 'ftp://w1' })).toThrow(/REGISTRY_WITNESSES/);
  });
});
