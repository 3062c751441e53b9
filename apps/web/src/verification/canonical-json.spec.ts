import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from './canonical-json';

// The cases of libs/integrity's canonical-json spec, plus RFC 8785's own examples.
describe(canonicalJson.name, () => {
  it('sorts keys recursively and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: [1, 'x', { d: null, c: true }], é: 'u' })).toBe('{"a":[1,"x",{"c":true,"d":null}],"b":1,"é":"u"}');
  });

  it('serialises numbers the ECMAScript way required by RFC 8785', () => {
    expect(canonicalJson([1e21, 0.000001, -0, 1.5e-7])).toBe('[1e+21,0.000001,0,1.5e-7]');
    // RFC 8785 §3.2.2.3 sample numbers.
    expect(canonicalJson([333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001])).toBe('[333333333.3333333,1e+30,4.5,0.002,1e-27]');
  });

  it('orders keys by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    expect(canonicalJson({ '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '1': 4 })).toBe('{"\\r":2,"1":4,"€":1,"😀":3}');
    expect(Object.keys(JSON.parse(canonicalJson({ '\ufb33': 'Hebrew', '\u00e9': 'é', '\ud83d\ude00': 'emoji', '\u0080': 'Control', '1': 'One' })))).toEqual(['1', '\u0080', '\u00e9', '\ud83d\ude00', '\ufb33']);
  });

  it('escapes strings as RFC 8785 §3.2.2.2 shows', () => {
    expect(canonicalJson('\u20ac$\u000f\nA\'B"\\\\"/')).toBe('"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ s: '\ud800' })).toThrow(TypeError);
    expect(() => canonicalJson(['a\udc00'])).toThrow(TypeError);
  });
});
