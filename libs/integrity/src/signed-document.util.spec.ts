import { describe, expect, it } from '@jest/globals';
import { createPublicKey, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json.util.js';
import { generateSigningKeyPair, publicKeyJwk } from './signature.util.js';
import { signDocument, verifyDocument } from './signed-document.util.js';

describe(signDocument.name, () => {
  const key = generateSigningKeyPair();
  const document = { id: 'r1', seq: 3, model: { version: '1.0', name: 'm' }, note: 'Ünïcode 🧪' };

  it('signs the canonical JSON of the document without keyId and signature, verifiable from the JWK alone', () => {
    const sut = signDocument(key, document);
    expect(sut.keyId).toBe(key.keyId);
    expect(verifyDocument(key.publicKeyPem, sut)).toBe(true);
    const jwk = publicKeyJwk(key.publicKeyPem);
    expect(jwk.kid).toBe(key.keyId);
    const { signature, keyId: _keyId, ...rest } = sut;
    expect(verify(null, Buffer.from(canonicalJson(rest)), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64'))).toBe(true);
  });

  it('fails when a field is changed, added or the signature is missing', () => {
    const sut = signDocument(key, document);
    expect(verifyDocument(key.publicKeyPem, { ...sut, seq: 4 })).toBe(false);
    expect(verifyDocument(key.publicKeyPem, { ...sut, extra: true })).toBe(false);
    expect(verifyDocument(key.publicKeyPem, { ...document })).toBe(false);
    expect(verifyDocument(generateSigningKeyPair().publicKeyPem, sut)).toBe(false);
  });
});
