import { describe, it, expect } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { encodeAddCheckpointRequest, parseAddCheckpointRequest } from './witness-request.util.js';

// c2sp.org/tlog-witness add-checkpoint example request body.
const CHECKPOINT =
  'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
  '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
  '\u2014 example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n';
const PROOF = [
  'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=',
  'jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=',
  '5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=',
  '/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=',
];
const SPEC_BODY = `old 20852014\n${PROOF.map((p) => `${p}\n`).join('')}\n${CHECKPOINT}`;

describe('add-checkpoint request body', () => {
  it('parses the spec example and writes it back byte for byte', () => {
    const request = parseAddCheckpointRequest(SPEC_BODY);
    expect(request?.oldSize).toBe(20852014);
    expect(request?.proof.map((p) => p.toString('base64'))).toEqual(PROOF);
    expect(request?.checkpoint).toBe(CHECKPOINT);
    expect(request && encodeAddCheckpointRequest(request)).toBe(SPEC_BODY);
  });

  it('takes old 0 with no proof', () => {
    expect(parseAddCheckpointRequest(`old 0\n\n${CHECKPOINT}`)).toEqual({ oldSize: 0, proof: [], checkpoint: CHECKPOINT });
    expect(() => encodeAddCheckpointRequest({ oldSize: 0, proof: [Buffer.alloc(32)], checkpoint: CHECKPOINT })).toThrow(RangeError);
  });

  it.each([
    ['a leading zero', SPEC_BODY.replace('old 20852014', 'old 020852014')],
    ['no old line', SPEC_BODY.replace('old 20852014\n', '')],
    ['a missing space', SPEC_BODY.replace('old 20852014', 'old20852014')],
    ['a short hash', SPEC_BODY.replace(PROOF[0], 'PlRNCrwHpqhGrupu')],
    ['64 proof lines', `old 1\n${`${PROOF[0]}\n`.repeat(64)}\n${CHECKPOINT}`],
    ['no blank line', `old 1\n${PROOF[0]}\n`],
    ['no checkpoint', `old 1\n${PROOF[0]}\n\n`],
  ])('refuses %s', (_, body) => {
    expect(parseAddCheckpointRequest(body)).toBeNull();
  });

  it('accepts 63 proof lines', () => {
    expect(parseAddCheckpointRequest(`old 1\n${`${PROOF[0]}\n`.repeat(63)}\n${CHECKPOINT}`)?.proof).toHaveLength(63);
  });
});
