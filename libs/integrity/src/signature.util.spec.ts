import { describe, it, expect } from '@jest/globals';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { generateSigningKeyPair, publicKeyJwk, signCanonical, signingKeyId, verifyCanonical } from './signature.util.js';

const record = { caseId: 'c1', state: 'released', headHash: 'ab'.repeat(32), seq: 7 };

describe('Ed25519 signatures', () => {
  const keys = generateSigningKeyPair();

  it('generates PEM keys with a 16-hex key id over the raw public key', () => {
    expect(keys.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(keys.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    const spki = createPublicKey(keys.publicKeyPem).export({ format: 'der', type: 'spki' });
    // An Ed25519 SPKI is a fixed 12-byte header followed by the 32-byte key.
    const raw = spki.subarray(spki.length - 32);
    expect(keys.keyId).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
    expect(signingKeyId(keys.publicKeyPem)).toBe(keys.keyId);
    expect(generateSigningKeyPair().keyId).not.toBe(keys.keyId);
  });

  it('round-trips a signature', () => {
    const signature = signCanonical(keys.privateKeyPem, record);
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    expect(verifyCanonical(keys.publicKeyPem, record, signature)).toBe(true);
  });

  it('signs the canonical form, so key order does not matter', () => {
    const signature = signCanonical(keys.privateKeyPem, record);
    const reordered = { seq: 7, headHash: record.headHash, state: 'released', caseId: 'c1' };
    expect(verifyCanonical(keys.publicKeyPem, reordered, signature)).toBe(true);
  });

  it('detects a tampered record', () => {
    const signature = signCanonical(keys.privateKeyPem, record);
    expect(verifyCanonical(keys.publicKeyPem, { ...record, seq: 8 }, signature)).toBe(false);
    expect(verifyCanonical(keys.publicKeyPem, { ...record, extra: null }, signature)).toBe(false);
  });

  it('detects a tampered signature', () => {
    const bytes = Buffer.from(signCanonical(keys.privateKeyPem, record), 'base64');
    bytes[10] = bytes[10]! ^ 0x01;
    expect(verifyCanonical(keys.publicKeyPem, record, bytes.toString('base64'))).toBe(false);
    expect(verifyCanonical(keys.publicKeyPem, record, 'not a signature')).toBe(false);
    expect(verifyCanonical(keys.publicKeyPem, record, '')).toBe(false);
  });

  it('refuses a signature made with another key', () => {
    const other = generateSigningKeyPair();
    const signature = signCanonical(other.privateKeyPem, record);
    expect(verifyCanonical(keys.publicKeyPem, record, signature)).toBe(false);
  });

  it('throws for a key that is not Ed25519 PEM', () => {
    expect(() => verifyCanonical('garbage', record, 'AA==')).toThrow();
  });

  it('signs and verifies with each of more keys than it keeps parsed, and never caches a refused key', () => {
    const many = Array.from({ length: 40 }, () => generateSigningKeyPair());
    for (const pair of [...many, ...many]) {
      const signature = signCanonical(pair.privateKeyPem, record);
      expect(verifyCanonical(pair.publicKeyPem, record, signature)).toBe(true);
      expect(verifyCanonical(keys.publicKeyPem, record, signature)).toBe(false);
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => signCanonical(rsa, record)).toThrow(/not an Ed25519 private key/);
    expect(() => signCanonical(rsa, record)).toThrow(/not an Ed25519 private key/);
  });

  it('exports the public key as an OKP JWK that verifies', () => {
    const jwk = publicKeyJwk(keys.publicKeyPem);
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: keys.keyId, alg: 'EdDSA', use: 'sig' });
    expect(Buffer.from(jwk.x, 'base64url')).toHaveLength(32);

    const fromJwk = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
    const pem = fromJwk.export({ format: 'pem', type: 'spki' }).toString();
    expect(verifyCanonical(pem, record, signCanonical(keys.privateKeyPem, record))).toBe(true);
  });
});
