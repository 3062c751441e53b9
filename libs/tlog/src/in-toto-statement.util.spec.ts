import { describe, it, expect } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { generateKeyPairSync } from 'node:crypto';
import { DsseError, signEnvelope } from './dsse.util.js';
import { IN_TOTO_PAYLOAD_TYPE, inTotoStatement, signInTotoStatement, verifyInTotoEnvelope } from './in-toto-statement.util.js';

describe('in-toto Statement v1', () => {
  const subject = [{ name: 'model@1.0', digest: { sha256: 'ab'.repeat(32) } }];

  it('carries a statement through a signed envelope', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const statement = inTotoStatement(subject, 'https://clearance.example/release-decision/v1', { state: 'released' });
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    const envelope = signInTotoStatement(statement, [{ keyid: 'k', privateKey }]);
    expect(envelope.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
    expect(verifyInTotoEnvelope(envelope, [{ publicKey }])).toEqual(statement);
  });

  it('refuses statements without subjects, digests or a predicate type URI', () => {
    expect(() => inTotoStatement([], 'https://x.example/p', {})).toThrow(DsseError);
    expect(() => inTotoStatement([{ name: 'm', digest: {} }], 'https://x.example/p', {})).toThrow(DsseError);
    expect(() => inTotoStatement(subject, 'release decision', {})).toThrow(DsseError);
  });

  it('refuses an envelope of another payload type', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const envelope = signEnvelope('application/json', Buffer.from('{}'), [{ keyid: 'k', privateKey }]);
    expect(() => verifyInTotoEnvelope(envelope, [{ publicKey }])).toThrow(`payloadType is not ${IN_TOTO_PAYLOAD_TYPE}`);
  });
});
