import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create, type Font } from 'fontkit';
import { isWinAnsiCharacter } from './win-ansi.util.js';

const require = createRequire(import.meta.url);

/** The names a report draws with; each document binds them to the standard or the embedded fonts. */
export const ReportFonts = { body: 'body', bold: 'bold', mono: 'mono' } as const;
type Role = keyof typeof ReportFonts;

const STANDARD: Record<Role, string> = { body: 'Helvetica', bold: 'Helvetica-Bold', mono: 'Courier' };
const EMBEDDED_FILES: Record<Role, string> = { body: 'DejaVuSans', bold: 'DejaVuSans-Bold', mono: 'DejaVuSansMono' };

/**
 * DejaVu Sans, Bold and Sans Mono, each parsed once per process, when first needed, and shared by
 * every document: parsing a font and warming its layout tables for each report was most of a
 * report's cost (pdfkit still embeds only the glyphs a document uses).
 */
const embedded: Partial<Record<Role, Font>> = {};
const embeddedFont = (role: Role): Font =>
  (embedded[role] ??= create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${EMBEDDED_FILES[role]}.ttf`))));

/**
 * Binds ReportFonts' names in `doc`: the PDF standard fonts (Helvetica, Courier: nothing embedded,
 * the file stays small) when every character of the report is in WinAnsiEncoding, else the embedded
 * DejaVu fonts, so Greek, Cyrillic and other scripts print as written.
 */
export const bindReportFonts = (doc: PDFKit.PDFDocument, options: { embedded: boolean }): void => {
  for (const role of Object.keys(ReportFonts) as Role[])
    // pdfkit takes a parsed fontkit font as a source too (PDFFontFactory.open); its types list only files and bytes.
    doc.registerFont(ReportFonts[role], options.embedded ? (embeddedFont(role) as unknown as Buffer) : STANDARD[role]);
};

/**
 * Text every report font can draw: a character none of them has a glyph for (CJK, for one: DejaVu
 * covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic among others) becomes `?`
 * rather than an empty box; tabs become spaces, other control characters `?`. WinAnsi characters
 * are in every report font; the body font's coverage decides the others (the mono font draws only
 * hashes, ids and URLs), so a WinAnsi report never parses a font.
 */
export const drawable = (text: string): string =>
  Array.from(text.normalize('NFC'), (ch) => {
    if (isWinAnsiCharacter(ch) || ch === '\n' || ch === '\r') return ch;
    if (ch === '\t') return ' ';
    return ch >= ' ' && ch !== '\x7f' && embeddedFont('body').hasGlyphForCodePoint(ch.codePointAt(0)!) ? ch : '?';
  }).join('');
