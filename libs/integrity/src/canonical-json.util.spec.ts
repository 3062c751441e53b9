import { describe, it, expect } from '@jest/globals';
import { canonicalJson, sha256Hex } from './canonical-json.util.js';

describe(canonicalJson.name, () => {
  const sut = canonicalJson;

  it('sorts keys recursively and drops whitespace', () => {
    expect(sut({ b: 1, a: [1, 'x', { d: null, c: true }], é: 'u' })).toBe('{"a":[1,"x",{"c":true,"d":null}],"b":1,"é":"u"}');
  });

  it('serialises numbers the ECMAScript way required by RFC 8785', () => {
    expect(sut([1e21, 0.000001, -0, 1.5e-7])).toBe('[1e+21,0.000001,0,1.5e-7]');
  });

  it('orders keys by UTF-16 code units', () => {
    expect(sut({ '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '1': 4 })).toBe('{"\\r":2,"1":4,"€":1,"😀":3}');
  });

  it('throws for undefined rather than returning it', () => {
    expect(() => sut(undefined)).toThrow(TypeError);
  });

  it('throws for values JSON cannot hold', () => {
    expect(() => sut({ n: Number.NaN })).toThrow();
    expect(() => sut({ s: '\ud800' })).toThrow();
  });
});

describe(sha256Hex.name, () => {
  const sut = sha256Hex;
  const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

  it('hashes strings as UTF-8 to lowercase hex', () => {
    expect(sut('abc')).toBe(abc);
    expect(sut('é')).toBe(sut(new Uint8Array([0xc3, 0xa9])));
  });

  it('hashes bytes', () => {
    expect(sut(new Uint8Array([0x61, 0x62, 0x63]))).toBe(abc);
  });
});
