import { describe, expect, it } from '@jest/globals';
import { checkAttestation, pae } from './dsse';
import fixture from './testing/registry-log.fixture.json' with { type: 'json' };

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

// The PAE cases of libs/tlog's DSSE spec (secure-systems-lab/dsse protocol.md), and an envelope the server's code signed.
describe(pae.name, () => {
  it('encodes PAE like the spec example, counting bytes', () => {
    expect(text(pae('http://example.com/HelloWorld', new TextEncoder().encode('hello world')))).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    expect(text(pae('t\u00e9', new TextEncoder().encode('\u00e9')))).toBe('DSSEv1 3 t\u00e9 2 \u00e9');
  });
});

describe(checkAttestation.name, () => {
  const { attestation, record } = fixture.record;
  const keys = fixture.keys.keys;
  const weights = record.model.checkpointSha256;

  it('passes the server\'s envelope for the record\'s weights', async () => {
    expect(await checkAttestation(attestation, keys, weights)).toMatchObject({ ok: true });
  });

  it('fails another payload type, a changed payload or signature, an unknown key and other weights', async () => {
    expect(await checkAttestation({ ...attestation, payloadType: 'application/json' }, keys, weights)).toMatchObject({ ok: false });
    const payload = attestation.payload;
    expect(await checkAttestation({ ...attestation, payload: `${payload[0] === 'e' ? 'f' : 'e'}${payload.slice(1)}` }, keys, weights)).toMatchObject({ ok: false });
    const sig = attestation.signatures[0].sig;
    expect(await checkAttestation({ ...attestation, signatures: [{ ...attestation.signatures[0], sig: `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}` }] }, keys, weights)).toMatchObject({ ok: false });
    expect(await checkAttestation(attestation, [], weights)).toMatchObject({ ok: false });
    expect(await checkAttestation(attestation, keys, 'c'.repeat(64))).toMatchObject({ ok: false, detail: expect.stringContaining('not for the weights') });
    expect(await checkAttestation(attestation, keys, null)).toMatchObject({ ok: false });
  });
});
