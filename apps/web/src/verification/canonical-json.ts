/**
 * RFC 8785 (JCS) canonical JSON, written out here so the browser checks the server's bytes with
 * code of its own. ECMAScript's JSON.stringify already serialises strings and numbers the way JCS
 * requires (RFC 8785 §3.2.2); what JCS adds is key order by UTF-16 code units and refusing values
 * JSON cannot carry.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('JCS cannot represent NaN or Infinity');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    // A lone surrogate is not Unicode text: JCS refuses it rather than escaping it.
    if (!isWellFormed(value)) throw new TypeError('JCS cannot represent a lone surrogate');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    // Array.prototype.sort without a comparator compares UTF-16 code units, as JCS asks.
    const keys = entries.map(([k]) => k).sort();
    const map = new Map(entries);
    return `{${keys.map((k) => `${canonicalJson(k)}:${canonicalJson(map.get(k))}`).join(',')}}`;
  }
  throw new TypeError(`JCS cannot represent a ${typeof value}`);
}

const isWellFormed = (text: string): boolean => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
