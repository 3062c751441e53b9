/**
 * RFC 8785 JSON Canonicalization Scheme, for the offline verifier: it must run with node builtins
 * only, so it does not load the `canonicalize` package the server uses (its spec checks both agree).
 * Members are sorted by UTF-16 code units, numbers use ECMAScript's Number-to-String (which
 * JSON.stringify applies) and strings JSON.stringify's escapes, as RFC 8785 §3.2.2 prescribes.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    throw new TypeError('value has no JSON representation');
  }
  const out: string[] = [];
  write(value, out, new Set());
  return out.join('');
}

function write(value: unknown, out: string[], ancestors: Set<object>): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError('JSON has no NaN or Infinity');
      // ECMAScript Number::toString, -0 written as 0: exactly RFC 8785 §3.2.2.3.
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(quote(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`a ${typeof value} has no JSON representation`);
  }
  const object = value as object;
  if (ancestors.has(object)) throw new TypeError('cyclic value');
  ancestors.add(object);
  if (Array.isArray(object)) {
    out.push('[');
    object.forEach((item: unknown, i) => {
      if (i > 0) out.push(',');
      // As JSON.stringify: a member with no JSON form is null inside an array.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') out.push('null');
      else write(item, out, ancestors);
    });
    out.push(']');
  } else {
    const record = object as Record<string, unknown>;
    // Default sort compares UTF-16 code units, the order RFC 8785 §3.2.3 asks for.
    const keys = Object.keys(record)
      .filter((key) => {
        const member = record[key];
        return member !== undefined && typeof member !== 'function' && typeof member !== 'symbol';
      })
      .sort();
    out.push('{');
    keys.forEach((key, i) => {
      if (i > 0) out.push(',');
      out.push(quote(key), ':');
      write(record[key], out, ancestors);
    });
    out.push('}');
  }
  ancestors.delete(object);
}

// With the u flag a surrogate pair is one code point, so this matches only a lone surrogate.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function quote(text: string): string {
  // RFC 8785 §3.2.2.2: a lone surrogate cannot be serialised (I-JSON, RFC 7493).
  if (LONE_SURROGATE.test(text)) throw new RangeError('a string holds a lone surrogate');
  return JSON.stringify(text);
}
