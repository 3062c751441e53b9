/** Largest evidence file accepted, in bytes (larger uploads are 413 before classification). */
export const EVIDENCE_MAX_BYTES = 25 * 1024 * 1024;

/** Media types evidence is stored and served as (their content is checked); any other is stored as octet-stream. */
export const EVIDENCE_MEDIA_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/zip',
  'application/json',
  'text/csv',
  'text/plain',
  'text/markdown',
] as const;

export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

/** What a file of any other type (or of no known type) is stored and served as. */
export const EVIDENCE_OTHER_MEDIA_TYPE = 'application/octet-stream';

/** The media type an evidence file is stored and served with. */
export type StoredMediaType = EvidenceMediaType | typeof EVIDENCE_OTHER_MEDIA_TYPE;

/** What an upload claims about itself; `bytes` is the whole file. */
export type EvidenceInput = { bytes: Uint8Array; declaredMediaType?: string; filename?: string };

/** The media type to store, or why the file is refused (a sentence fit for a 415 `detail`). */
export type EvidenceClassification = { ok: true; mediaType: StoredMediaType } | { ok: false; reason: string };

type BinaryType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'application/zip';

const MAGIC: Record<BinaryType, { label: string; signatures: number[][] }> = {
  'application/pdf': { label: 'a PDF file', signatures: [[0x25, 0x50, 0x44, 0x46, 0x2d]] },
  'image/png': { label: 'a PNG file', signatures: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]] },
  'image/jpeg': { label: 'a JPEG file', signatures: [[0xff, 0xd8, 0xff]] },
  // A local file header, or the end-of-central-directory record that alone makes an empty archive.
  'application/zip': {
    label: 'a ZIP archive',
    signatures: [
      [0x50, 0x4b, 0x03, 0x04],
      [0x50, 0x4b, 0x05, 0x06],
    ],
  },
};

const ALIASES: Record<string, EvidenceMediaType> = { 'application/x-zip-compressed': 'application/zip' };

const EXTENSIONS: Record<string, EvidenceMediaType> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  zip: 'application/zip',
  json: 'application/json',
  csv: 'text/csv',
  txt: 'text/plain',
  md: 'text/markdown',
};

// Browsers and curl send this when they do not know, so it says nothing about the file.
const UNKNOWN_TYPE = EVIDENCE_OTHER_MEDIA_TYPE;

function isBinaryType(type: EvidenceMediaType): type is BinaryType {
  return type in MAGIC;
}

function isListed(type: string): type is EvidenceMediaType {
  return (EVIDENCE_MEDIA_TYPES as readonly string[]).includes(type);
}

function hasMagic(bytes: Uint8Array, type: BinaryType): boolean {
  return MAGIC[type].signatures.some((signature) => signature.every((byte, i) => bytes[i] === byte));
}

function essence(mediaType: string): string {
  return mediaType.split(';')[0]!.trim().toLowerCase();
}

function extensionType(filename: string | undefined): EvidenceMediaType | undefined {
  const dot = filename?.lastIndexOf('.') ?? -1;
  if (filename === undefined || dot < 0) return undefined;
  return EXTENSIONS[filename.slice(dot + 1).toLowerCase()];
}

/** What a stored file is served as: a listed type, else application/octet-stream (never what an upload claimed). */
export function servedMediaType(stored: string): StoredMediaType {
  return isListed(stored) ? stored : EVIDENCE_OTHER_MEDIA_TYPE;
}

function sniff(bytes: Uint8Array): BinaryType | undefined {
  return (Object.keys(MAGIC) as BinaryType[]).find((type) => hasMagic(bytes, type));
}

/** Why the content does not fit `type`, or null when it does. */
function contentMismatch(bytes: Uint8Array, type: EvidenceMediaType): string | null {
  if (isBinaryType(type)) return hasMagic(bytes, type) ? null : `the content is not ${MAGIC[type].label}`;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'the content is not valid UTF-8 text';
  }
  if (text.includes('\u0000')) return 'the content contains NUL bytes, so it is not text';
  if (type === 'application/json') {
    try {
      JSON.parse(text);
    } catch {
      return 'the content is not valid JSON';
    }
  }
  return null;
}

/**
 * Decides an evidence file's media type from its declared type, else its file name, else its
 * magic bytes. A type in EVIDENCE_MEDIA_TYPES is checked against the content (binary types by
 * magic bytes, text types as UTF-8 without NUL, JSON must also parse); any other type, or none
 * that can be told, is stored as application/octet-stream (SPEC.md). Size is not checked here.
 */
export function classifyEvidence(input: EvidenceInput): EvidenceClassification {
  const { bytes, filename } = input;
  const declared = input.declaredMediaType === undefined ? '' : essence(input.declaredMediaType);

  let mediaType: EvidenceMediaType;
  let source: string;
  if (declared !== '' && declared !== UNKNOWN_TYPE) {
    const resolved = ALIASES[declared] ?? declared;
    // Accepted, but never served as what it claims: a browser must not render it.
    if (!isListed(resolved)) return { ok: true, mediaType: EVIDENCE_OTHER_MEDIA_TYPE };
    mediaType = resolved;
    source = `declared ${declared}`;
  } else {
    const byName = extensionType(filename);
    if (byName !== undefined) {
      mediaType = byName;
      source = `the file name ${JSON.stringify(filename)} suggests ${byName}`;
    } else {
      return { ok: true, mediaType: sniff(bytes) ?? EVIDENCE_OTHER_MEDIA_TYPE };
    }
  }

  const mismatch = contentMismatch(bytes, mediaType);
  return mismatch === null ? { ok: true, mediaType } : { ok: false, reason: `${source} but ${mismatch}` };
}
