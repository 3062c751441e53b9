import { describe, it, expect } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { DsseError, pae, signEnvelope, verifyEnvelope } from './dsse.util.js';

// secure-systems-lab/dsse protocol.md test vector.
const SPEC_ENVELOPE = {
  payload: 'aGVsbG8gd29ybGQ=',
  payloadType: 'http://example.com/HelloWorld',
  signatures: [{ sig: 'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==' }],
};
const coordinate = (decimal: string): string => Buffer.from(BigInt(decimal).toString(16).padStart(64, '0'), 'hex').toString('base64url');
const SPEC_KEY = createPublicKey({
  key: {
    kty: 'EC',
    crv: 'P-256',
    x: coordinate('46950820868899156662930047687818585632848591499744589407958293238635476079160'),
    y: coordinate('5640078356564379163099075877009565129882514886557779369047442380624545832820'),
  },
  format: 'jwk',
});

describe('DSSE', () => {
  it('encodes PAE like the spec example', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts lengths in bytes, not characters', () => {
    expect(pae('t\u00e9', Buffer.from('\u00e9')).toString()).toBe('DSSEv1 3 t\u00e9 2 \u00e9');
  });

  it('verifies the spec envelope with its ECDSA P-256 key', () => {
    const verified = verifyEnvelope(SPEC_ENVELOPE, [{ publicKey: SPEC_KEY }]);
    expect(verified.payload.toString()).toBe('hello world');
    expect(verified.payloadType).toBe('http://example.com/HelloWorld');
    // The payload type is authenticated.
    expect(() => verifyEnvelope({ ...SPEC_ENVELOPE, payloadType: 'http://example.com/Other' }, [{ publicKey: SPEC_KEY }])).toThrow(DsseError);
    // URL-safe, unpadded base64 is accepted too.
    const urlSafe = { ...SPEC_ENVELOPE, payload: 'aGVsbG8gd29ybGQ', signatures: [{ sig: SPEC_ENVELOPE.signatures[0].sig.replaceAll('+', '-').replaceAll('/', '_') }] };
    expect(verifyEnvelope(urlSafe, [{ publicKey: SPEC_KEY }]).payload.toString()).toBe('hello world');
  });

  it('signs and verifies with Ed25519, with keyid as a hint only', () => {
    const a = generateKeyPairSync('ed25519');
    const b = generateKeyPairSync('ed25519');
    const envelope = signEnvelope('application/example', Buffer.from('{"x":1}'), [{ keyid: 'a', privateKey: a.privateKey }]);
    expect(envelope.payload).toBe(Buffer.from('{"x":1}').toString('base64'));
    expect(envelope.signatures[0].keyid).toBe('a');
    expect(Buffer.from(envelope.signatures[0].sig, 'base64')).toHaveLength(64);
    expect(verifyEnvelope(envelope, [{ keyid: 'b', publicKey: b.publicKey }, { keyid: 'a', publicKey: a.publicKey }]).keyids).toEqual(['a']);
    // A key filed under another keyid is not tried, and an untrusted key is not enough.
    expect(() => verifyEnvelope(envelope, [{ keyid: 'other', publicKey: a.publicKey }])).toThrow(DsseError);
    expect(() => verifyEnvelope(envelope, [{ publicKey: b.publicKey }])).toThrow(DsseError);
    expect(() => verifyEnvelope({ ...envelope, payload: Buffer.from('{"x":2}').toString('base64') }, [{ publicKey: a.publicKey }])).toThrow(DsseError);
  });

  it('needs the threshold of distinct trusted keys', () => {
    const a = generateKeyPairSync('ed25519');
    const b = generateKeyPairSync('ed25519');
    const trusted = [{ keyid: 'a', publicKey: a.publicKey }, { keyid: 'b', publicKey: b.publicKey }];
    const once = signEnvelope('t', Buffer.from('p'), [{ keyid: 'a', privateKey: a.privateKey }]);
    const twice = { ...once, signatures: [...once.signatures, ...once.signatures] };
    expect(() => verifyEnvelope(twice, trusted, 2)).toThrow(DsseError);
    const both = signEnvelope('t', Buffer.from('p'), [{ keyid: 'a', privateKey: a.privateKey }, { keyid: 'b', privateKey: b.privateKey }]);
    expect(verifyEnvelope(both, trusted, 2).keyids).toEqual(['a', 'b']);
  });

  it.each([
    ['not an object', 'envelope'],
    ['no signatures array', { payloadType: 't', payload: '' }],
    ['a payload that is not base64', { payloadType: 't', payload: 'a*b', signatures: [] }],
    ['a signature that is not a string', { payloadType: 't', payload: '', signatures: [{ sig: 1 }] }],
  ])('refuses %s', (_, envelope) => {
    expect(() => verifyEnvelope(envelope, [{ publicKey: SPEC_KEY }])).toThrow(DsseError);
  });
});
