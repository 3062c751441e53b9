import { describe, it, expect } from '@jest/globals';
import { EVIDENCE_MAX_BYTES, EVIDENCE_MEDIA_TYPES, EVIDENCE_OTHER_MEDIA_TYPE, classifyEvidence, servedMediaType, type EvidenceMediaType } from './media-type.util.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(parts.flatMap((part) => [...part]));

const samples: Record<EvidenceMediaType, { bytes: Uint8Array; filename: string }> = {
  'application/pdf': { bytes: utf8('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n'), filename: 'report.pdf' },
  'image/png': {
    bytes: concat(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), bytes(0, 0, 0, 13), utf8('IHDR')),
    filename: 'chart.png',
  },
  'image/jpeg': { bytes: bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46), filename: 'photo.jpg' },
  'application/zip': { bytes: concat(utf8('PK'), bytes(3, 4, 20, 0, 0, 0)), filename: 'bundle.zip' },
  'application/json': { bytes: utf8('{"accuracy": 0.93, "name": "é"}'), filename: 'metrics.json' },
  'text/csv': { bytes: utf8('metric,value\naccuracy,0.93\n'), filename: 'metrics.csv' },
  'text/plain': { bytes: utf8('Red-team notes — all clear.\n'), filename: 'notes.txt' },
  'text/markdown': { bytes: utf8('# Model card\n\n- item\n'), filename: 'card.md' },
};

describe(classifyEvidence.name, () => {
  const sut = classifyEvidence;

  it('exposes the size limit and the accepted types', () => {
    expect(EVIDENCE_MAX_BYTES).toBe(26_214_400);
    expect([...EVIDENCE_MEDIA_TYPES].sort()).toEqual(Object.keys(samples).sort());
  });

  it.each(Object.entries(samples))('accepts %s when declared', (type, sample) => {
    expect(sut({ bytes: sample.bytes, declaredMediaType: type })).toEqual({ ok: true, mediaType: type });
  });

  it.each(Object.entries(samples))('accepts %s inferred from its file name', (type, sample) => {
    expect(sut({ bytes: sample.bytes, filename: sample.filename })).toEqual({ ok: true, mediaType: type });
    expect(sut({ bytes: sample.bytes, filename: sample.filename, declaredMediaType: 'application/octet-stream' })).toEqual({
      ok: true,
      mediaType: type,
    });
  });

  it('ignores media type parameters and case', () => {
    expect(sut({ bytes: samples['text/csv'].bytes, declaredMediaType: 'Text/CSV; charset=utf-8' })).toEqual({
      ok: true,
      mediaType: 'text/csv',
    });
  });

  it('maps application/x-zip-compressed to application/zip', () => {
    expect(sut({ bytes: samples['application/zip'].bytes, declaredMediaType: 'application/x-zip-compressed' })).toEqual({
      ok: true,
      mediaType: 'application/zip',
    });
  });

  it('accepts an empty ZIP archive', () => {
    const empty = concat(utf8('PK'), bytes(5, 6), new Uint8Array(18));
    expect(sut({ bytes: empty, declaredMediaType: 'application/zip' })).toEqual({ ok: true, mediaType: 'application/zip' });
  });

  it('matches file extensions case-insensitively and uses the last one', () => {
    expect(sut({ bytes: samples['image/jpeg'].bytes, filename: 'IMG.final.JPEG' })).toEqual({ ok: true, mediaType: 'image/jpeg' });
  });

  it.each(['application/pdf', 'image/png', 'image/jpeg', 'application/zip'] as const)(
    'sniffs %s from magic bytes when neither type nor extension says',
    (type) => {
      expect(sut({ bytes: samples[type].bytes, filename: 'upload.bin' })).toEqual({ ok: true, mediaType: type });
      expect(sut({ bytes: samples[type].bytes })).toEqual({ ok: true, mediaType: type });
    },
  );

  it('serves only a listed type as itself', () => {
    expect(servedMediaType('image/png')).toBe('image/png');
    expect(servedMediaType('text/html')).toBe('application/octet-stream');
  });

  it('stores content whose type cannot be determined as application/octet-stream', () => {
    expect(sut({ bytes: utf8('hello'), declaredMediaType: 'application/octet-stream' })).toEqual({ ok: true, mediaType: EVIDENCE_OTHER_MEDIA_TYPE });
    expect(sut({ bytes: bytes(0xff, 0x00), filename: 'blob.bin' })).toEqual({ ok: true, mediaType: 'application/octet-stream' });
  });

  it('stores a declared type outside the list as application/octet-stream, whatever the content or name', () => {
    for (const declaredMediaType of ['text/html; charset=utf-8', 'image/svg+xml', 'application/x-msdownload', 'application/xhtml+xml'])
      expect(sut({ bytes: utf8('<html><script>x</script></html>'), declaredMediaType, filename: 'x.png' })).toEqual({
        ok: true,
        mediaType: 'application/octet-stream',
      });
  });

  it.each([
    ['image/png', 'application/pdf', 'declared image/png but the content is not a PNG file'],
    ['application/pdf', 'image/png', 'declared application/pdf but the content is not a PDF file'],
    ['image/jpeg', 'image/png', 'declared image/jpeg but the content is not a JPEG file'],
    ['application/zip', 'application/pdf', 'declared application/zip but the content is not a ZIP archive'],
  ] as const)('refuses declared %s holding %s', (declared, actual, reason) => {
    expect(sut({ bytes: samples[actual].bytes, declaredMediaType: declared })).toEqual({ ok: false, reason });
  });

  it('refuses a truncated magic number', () => {
    expect(sut({ bytes: bytes(0x89, 0x50, 0x4e, 0x47), declaredMediaType: 'image/png' }).ok).toBe(false);
    expect(sut({ bytes: new Uint8Array(0), declaredMediaType: 'application/pdf' }).ok).toBe(false);
  });

  it('checks content against the type a file name suggests', () => {
    const result = sut({ bytes: samples['text/plain'].bytes, filename: 'scan.pdf' });
    expect(result).toEqual({ ok: false, reason: 'the file name "scan.pdf" suggests application/pdf but the content is not a PDF file' });
  });

  it.each(['text/plain', 'text/csv', 'text/markdown', 'application/json'] as const)('refuses invalid UTF-8 declared as %s', (type) => {
    const invalid = bytes(0x22, 0x61, 0xc3, 0x28, 0x22);
    expect(sut({ bytes: invalid, declaredMediaType: type })).toEqual({
      ok: false,
      reason: `declared ${type} but the content is not valid UTF-8 text`,
    });
  });

  it('refuses UTF-8-encoded surrogates and overlong forms', () => {
    expect(sut({ bytes: bytes(0xed, 0xa0, 0x80), declaredMediaType: 'text/plain' }).ok).toBe(false);
    expect(sut({ bytes: bytes(0xc0, 0xaf), declaredMediaType: 'text/plain' }).ok).toBe(false);
  });

  it('refuses text containing NUL bytes', () => {
    const result = sut({ bytes: utf8('a,b\n\u0000,c\n'), declaredMediaType: 'text/csv' });
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^declared text\/csv but .*NUL/) });
  });

  it('refuses JSON that does not parse', () => {
    expect(sut({ bytes: utf8('{"a": 1,}'), declaredMediaType: 'application/json' })).toEqual({
      ok: false,
      reason: 'declared application/json but the content is not valid JSON',
    });
    expect(sut({ bytes: utf8('{"a": 1'), filename: 'x.json' }).ok).toBe(false);
  });

  it('accepts text with a UTF-8 byte order mark', () => {
    const withBom = concat(bytes(0xef, 0xbb, 0xbf), utf8('{"a":1}'));
    expect(sut({ bytes: withBom, declaredMediaType: 'application/json' })).toEqual({ ok: true, mediaType: 'application/json' });
  });

  it('lets the declared type win over the file name', () => {
    expect(sut({ bytes: samples['text/plain'].bytes, declaredMediaType: 'text/plain', filename: 'x.png' })).toEqual({
      ok: true,
      mediaType: 'text/plain',
    });
  });
});
