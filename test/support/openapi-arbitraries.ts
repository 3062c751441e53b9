/**
 * fast-check arbitraries read from the OpenAPI document (apps/web/src/api/openapi.json): one
 * request per documented operation, as the schema describes it and mutated the way an attacker
 * would (wrong types, boundaries, unknown fields, U+0000 and lone surrogates, huge and deeply
 * nested values, non-JSON, wrong media types, odd path ids, forged cursors, odd headers).
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: JsonSchema;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The template, e.g. `/v1/cases/{id}/events`. */
  path: string;
  parameters: Parameter[];
  /** The media type and schema of the body, when the operation takes one. */
  body?: { mediaType: string; schema: JsonSchema };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

/** Every operation of the document. */
export const operationsOf = (document: OpenApiDocument): Operation[] =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const content = Object.entries(operation.requestBody?.content ?? {})[0];
      return {
        method: method.toUpperCase() as Operation['method'],
        path,
        parameters: operation.parameters ?? [],
        ...(content ? { body: { mediaType: content[0], schema: content[1].schema } } : {}),
      };
    }),
  );

/** `arbitrary` in `percent` of the cases, else undefined. */
export const sometimes = <T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: percent, arbitrary }, { weight: 100 - percent, arbitrary: fc.constant(undefined) });

/** Strings an attacker tries in any text field. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\uFEFF', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '%00', '{}', 'null'),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer({ min: 300, max: 5000 }).map((n) => 'x'.repeat(n)),
  );

/** A value of any JSON type, including wrong types for any field. */
export const wrongValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, [], {}, [null], { $ne: null }, { __proto__: { polluted: true } }),
    hostileString(),
    fc.jsonValue({ maxDepth: 3 }),
  );

/** A schema-valid value (most of the time: patterns are approximated). */
export const valueOf = (schema: JsonSchema, hints: ValueHints, depth = 0): fc.Arbitrary<unknown> => {
  const base = plainValueOf(schema, hints, depth);
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
};

/** Real values the world holds, so that some generated requests reach deep into the handlers. */
export interface ValueHints {
  uuids: string[];
}

const plainValueOf = (schema: JsonSchema, hints: ValueHints, depth: number): fc.Arbitrary<unknown> => {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => valueOf(alternative, hints, depth + 1)));
  switch (schema.type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      if (depth > 6) return fc.constant({});
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueOf(property, hints, depth + 1)])),
        { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) },
      );
    }
    case 'array':
      return fc.array(schema.items ? valueOf(schema.items, hints, depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3, Math.max(schema.minItems ?? 0, 3)),
      });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringOf(schema, hints);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
};

const stringOf = (schema: JsonSchema, hints: ValueHints): fc.Arbitrary<string> => {
  if (schema.format === 'uuid' || schema.pattern?.includes('[0-9a-fA-F]{8}'))
    return fc.oneof(fc.constantFrom(...hints.uuids), fc.uuid({ version: 4 }));
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 2000) && s.length >= (schema.minLength ?? 0));
    } catch {
      // a pattern fast-check cannot generate from (lookahead): plain strings
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
};

/** Values just outside (or on) a string's or number's documented bounds. */
export const boundaryOf = (schema: JsonSchema): fc.Arbitrary<unknown> => {
  const candidates: unknown[] = [];
  if (schema.minLength !== undefined) candidates.push('x'.repeat(Math.max(0, schema.minLength - 1)));
  if (schema.maxLength !== undefined) candidates.push('x'.repeat(schema.maxLength), 'x'.repeat(schema.maxLength + 1));
  if (schema.minimum !== undefined) candidates.push(schema.minimum - 1, schema.minimum);
  if (schema.maximum !== undefined) candidates.push(schema.maximum, schema.maximum + 1);
  if (schema.minItems !== undefined) candidates.push([]);
  if (schema.maxItems !== undefined) candidates.push(Array.from({ length: schema.maxItems + 1 }, () => 'x'));
  if (schema.enum) candidates.push(`${String(schema.enum[0])}X`, String(schema.enum[0]).toUpperCase());
  return candidates.length > 0 ? fc.constantFrom(...candidates) : wrongValue();
};

/** Nested arrays and objects, deeper than any schema, as JSON text (too deep for JSON.stringify's stack). */
export const deeplyNested = (): fc.Arbitrary<string> =>
  fc.integer({ min: 50, max: 20_000 }).map((depth) => `${'{"a":['.repeat(depth)}"leaf"${']}'.repeat(depth)}`);

const setAt = (value: unknown, path: string[], replacement: unknown): unknown => {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const container = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(container) ? [...container] : { ...container };
  (copy as Record<string, unknown>)[head!] = setAt(container[head!], rest, replacement);
  return copy;
};

/** The property paths of a schema (object properties, first array item), each with its schema. */
const leavesOf = (schema: JsonSchema, prefix: string[] = [], depth = 0): Array<{ path: string[]; schema: JsonSchema }> => {
  if (depth > 5) return [];
  const own = prefix.length > 0 ? [{ path: prefix, schema }] : [];
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return [...own, ...alternatives.flatMap((alternative) => leavesOf(alternative, prefix, depth + 1))];
  if (schema.type === 'object')
    return [...own, ...Object.entries(schema.properties ?? {}).flatMap(([name, property]) => leavesOf(property, [...prefix, name], depth + 1))];
  if (schema.type === 'array' && schema.items) return [...own, ...leavesOf(schema.items, [...prefix, '0'], depth + 1)];
  return own;
};

/** A request body: raw bytes or text, and the Content-Type to send it with (none when undefined). */
export interface Body {
  payload: string | Uint8Array;
  contentType: string | undefined;
  /** What was done to it, for the failure report. */
  mutation: string;
}

const json = (value: unknown, mutation: string, contentType = 'application/json'): Body => ({ payload: JSON.stringify(value) ?? 'null', contentType, mutation });

const HUGE = `{"name":"${'x'.repeat(1024 * 1024 + 10)}"}`;

/** A JSON body valid for the schema, or one mutation of it. */
export const jsonBodyOf = (schema: JsonSchema, hints: ValueHints): fc.Arbitrary<Body> => {
  const valid = valueOf(schema, hints);
  const leaves = leavesOf(schema);
  const leaf = leaves.length > 0 ? fc.constantFrom(...leaves) : fc.constant<{ path: string[]; schema: JsonSchema }>({ path: ['x'], schema: {} });
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((value) => json(value, 'valid')) },
    { weight: 2, arbitrary: fc.tuple(valid, leaf, wrongValue()).map(([value, at, wrong]) => json(setAt(value, at.path, wrong), `wrong value at ${at.path.join('.')}`)) },
    { weight: 2, arbitrary: fc.tuple(valid, leaf).chain(([value, at]) => boundaryOf(at.schema).map((edge) => json(setAt(value, at.path, edge), `boundary at ${at.path.join('.')}`))) },
    { weight: 2, arbitrary: fc.tuple(valid, leaf, fc.constantFrom('\u0000', 'a\u0000', '\uD800', '\uDC00x', 'ok\uD83D')).map(([value, at, s]) => json(setAt(value, at.path, s), `NUL/surrogate at ${at.path.join('.')}`)) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.string({ minLength: 1, maxLength: 12 }), wrongValue()).map(([value, key, extra]) => json(setAt(value, [`${key}_unknown`], extra), 'unknown field')) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom('__proto__', 'constructor', 'prototype')).map(([value, key]) => ({ payload: JSON.stringify(value).replace(/^\{/, `{"${key}":{"admin":true},`), contentType: 'application/json', mutation: `key ${key}` })) },
    { weight: 1, arbitrary: wrongValue().map((value) => json(value, 'wrong top-level type')) },
    { weight: 1, arbitrary: deeplyNested().map((text) => ({ payload: text, contentType: 'application/json', mutation: 'deep nesting' })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', 'nul', '\u0000', '{"a":"\\ud800"', '[1,]', "{'a':1}", '', '   ').map((text) => ({ payload: text, contentType: 'application/json', mutation: 'not JSON' })) },
    { weight: 1, arbitrary: fc.constant({ payload: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), contentType: 'application/json', mutation: 'invalid UTF-8' }) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'Application/JSON', 'application/merge-patch+json', '*/*', 'application/')).map(([value, type]) => json(value, `content type ${type}`, type)) },
    { weight: 1, arbitrary: valid.map((value) => ({ payload: JSON.stringify(value) ?? '', contentType: undefined, mutation: 'no content type' })) },
    { weight: 1, arbitrary: fc.constant({ payload: HUGE, contentType: 'application/json', mutation: 'over 1 MiB' }) },
  );
};

const BOUNDARY = 'fuzzboundary';

const multipart = (parts: Array<{ name: string; filename?: string; type?: string; content: string }>): string =>
  parts
    .map((part) => {
      const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
      return `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n${part.content}\r\n`;
    })
    .join('') + `--${BOUNDARY}--\r\n`;

/** A multipart upload with one `file` part, or a mutation of it. */
export const multipartBody = (): fc.Arbitrary<Body> => {
  const type = `multipart/form-data; boundary=${BOUNDARY}`;
  const filename = fc.oneof(fc.constantFrom('a.txt', 'report.pdf', '../../x', 'a\u0000.txt', '', 'é.md', 'x'.repeat(300)), fc.string({ maxLength: 20 }).map((s) => s.replaceAll('"', '').replaceAll('\r', '').replaceAll('\n', '')));
  const media = fc.constantFrom('text/plain', 'application/pdf', 'image/png', 'application/json', 'application/x-evil', 'text/csv', '', 'text/plain; charset=utf-16');
  const content = fc.oneof(fc.constantFrom('hello', '%PDF-1.7', '{"a":1}', '{not json', '\u0000\u0001', 'a,b\n1,2'), fc.string({ maxLength: 50 }));
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(filename, media, content).map(([f, m, c]) => ({ payload: multipart([{ name: 'file', filename: f, type: m, content: c }]), contentType: type, mutation: 'upload' })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('files', 'File', 'x'), content).map(([n, c]) => ({ payload: multipart([{ name: n, filename: 'a.txt', type: 'text/plain', content: c }]), contentType: type, mutation: `part named ${n}` })) },
    { weight: 1, arbitrary: content.map((c) => ({ payload: multipart([{ name: 'file', filename: 'a.txt', type: 'text/plain', content: c }, { name: 'file', filename: 'b.txt', type: 'text/plain', content: c }]), contentType: type, mutation: 'two file parts' })) },
    { weight: 1, arbitrary: content.map((c) => ({ payload: multipart([{ name: 'file', content: c }]), contentType: type, mutation: 'field, not file' })) },
    { weight: 1, arbitrary: fc.constantFrom(`--${BOUNDARY}\r\ngarbage`, '', 'not multipart', `--other\r\n\r\n`).map((text) => ({ payload: text, contentType: type, mutation: 'broken multipart' })) },
    { weight: 1, arbitrary: fc.constantFrom('multipart/form-data', 'application/json', 'text/plain', undefined).map((ct) => ({ payload: multipart([{ name: 'file', filename: 'a.txt', type: 'text/plain', content: 'x' }]), contentType: ct, mutation: `content type ${ct}` })) },
  );
};

/** Percent-encoding that also carries lone surrogates (as the WTF-8 bytes a sloppy client would send). */
const encode = (text: string): string =>
  text
    .split(/([\uD800-\uDFFF])/)
    .map((part) => (/^[\uD800-\uDFFF]$/.test(part) ? `%ED%${(0xa0 + ((part.charCodeAt(0) >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 + (part.charCodeAt(0) & 0x3f)).toString(16).toUpperCase()}` : encodeURIComponent(part)))
    .join('');

/** Path ids: real ones, unknown UUIDs and everything that is not a UUID. */
export const pathIdOf = (real: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...real) },
    { weight: 2, arbitrary: fc.uuid().map((uuid) => uuid) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'not-a-uuid', '%00', 'a%00b', '%', '%zz', '%2F', '%2e%2e', '..', '%ED%A0%80', '%C0%AF', '%FF', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
        '123456789012345678901234567890123456', '------------------------------------', '12345678-1234-1234-1234-1234567890123', 'ZZZZZZZZ-ZZZZ-4ZZZ-8ZZZ-ZZZZZZZZZZZZ', '1', '-1', '0x10', 'null', 'undefined',
        '%20', '%2B', 'a%2Fb', 'x'.repeat(5000), '%u0000', '%F0%9F%98%80',
      ),
    },
    { weight: 1, arbitrary: fc.uuid().map((uuid) => uuid.toUpperCase()) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 40 }).map(encode) },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f-]{36}$/) },
  );

/** Query strings for an operation: schema-valid values, bounds, forged cursors and unknown parameters. */
export const queryOf = (operation: Operation, hints: ValueHints & { cursors: string[] }): fc.Arbitrary<string> => {
  const query = operation.parameters.filter((parameter) => parameter.in === 'query');
  const forgedCursor = fc.oneof(
    fc.constantFrom(...hints.cursors),
    fc.constantFrom(...hints.cursors).chain((cursor) => fc.nat({ max: Math.max(0, cursor.length - 1) }).map((i) => cursor.slice(0, i) + (cursor[i] === 'A' ? 'B' : 'A') + cursor.slice(i + 1))),
    fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
    fc.tuple(fc.date({ noInvalidDate: true }), fc.uuid()).map(([d, id]) => Buffer.from(JSON.stringify([d.toISOString(), id])).toString('base64url')),
    fc.tuple(fc.string(), fc.string()).map(([a, b]) => Buffer.from(JSON.stringify({ k: [a, b] })).toString('base64url') + '.' + Buffer.from(b).toString('base64url')),
    fc.constantFrom('', '.', 'a.b', '%00', '%', '====', 'x'.repeat(3000)),
  );
  const valueFor = (parameter: Parameter): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 3, arbitrary: valueOf(parameter.schema, hints).map((v) => encode(String(v))) },
      { weight: 2, arbitrary: boundaryOf(parameter.schema).map((v) => encode(typeof v === 'string' ? v : JSON.stringify(v))) },
      { weight: 1, arbitrary: hostileString().map(encode) },
      { weight: 1, arbitrary: fc.constantFrom('%00', '%', '%zz', '%ED%A0%80', '1.5', '-0', '1e3', '0x10', ' 5', '') },
      ...(parameter.name === 'cursor' ? [{ weight: 6, arbitrary: forgedCursor.map((c) => (c.startsWith('%') ? c : encode(c))) }] : []),
    );
  const pairs = query.map((parameter) =>
    sometimes(
      fc.oneof(
        { weight: 4, arbitrary: valueFor(parameter).map((v) => `${parameter.name}=${v}`) },
        { weight: 1, arbitrary: fc.tuple(valueFor(parameter), valueFor(parameter)).map(([a, b]) => `${parameter.name}=${a}&${parameter.name}=${b}`) },
        { weight: 1, arbitrary: valueFor(parameter).map((v) => `${parameter.name}[]=${v}`) },
        { weight: 1, arbitrary: valueFor(parameter).map((v) => `${parameter.name}[a]=${v}`) },
        { weight: 1, arbitrary: fc.constant(parameter.name) },
      ),
      60,
    ),
  );
  const unknown = sometimes(fc.oneof(fc.constantFrom('unknown=1', 'limit%00=1', '__proto__[x]=1', '=', '&&', 'a=%'), fc.string({ minLength: 1, maxLength: 10 }).map((k) => `${encode(k)}=1`)), 15);
  return fc.tuple(fc.tuple(...pairs), unknown).map(([chosen, extra]) => {
    const parts = [...chosen, extra].filter((part): part is string => part !== undefined);
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  });
};

/** Header values Node's HTTP client can send (no control characters but tab). */
export const headerValue = (): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom('', ' ', '*', 'x'.repeat(2000), 'é', '\t'), fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')));

/** If-Match values: the real ETag shapes, stale, weak, star and garbage. */
export const ifMatch = (): fc.Arbitrary<string | undefined> =>
  sometimes(fc.oneof(fc.integer({ min: -2, max: 40 }).map((n) => `"${n}"`), fc.constantFrom('*', 'W/"1"', '"1", "2"', '1', '"', '""', '"99999999999999999999"', '"1.5"', '"-0"'), headerValue()), 30);

/** Idempotency keys: fresh, reused, empty, long and odd. */
export const idempotencyKey = (): fc.Arbitrary<string | undefined> =>
  sometimes(fc.oneof(fc.uuid(), fc.constantFrom('fuzz-key-1', 'fuzz-key-2', '', ' ', 'k'.repeat(300), 'k'.repeat(5000)), headerValue()), 30);
