import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create } from 'fontkit';

const require = createRequire(import.meta.url);

/** The report's typefaces, embedded (pdfkit keeps only the glyphs a report uses): DejaVu Sans and Sans Mono. */
export const ReportFonts = { body: 'DejaVuSans', bold: 'DejaVuSans-Bold', mono: 'DejaVuSansMono' } as const;
export type ReportFont = (typeof ReportFonts)[keyof typeof ReportFonts];

/** Read once per process: each is a few hundred kilobytes. */
let loaded: Record<ReportFont, Buffer> | null = null;

export const reportFontFiles = (): Record<ReportFont, Buffer> =>
  (loaded ??= Object.fromEntries(
    Object.values(ReportFonts).map((name) => [name, readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`))]),
  ) as Record<ReportFont, Buffer>);

let coverage: ReturnType<typeof create> | null = null;

/**
 * Text every report font can draw: a character none of them has a glyph for (CJK, for one: DejaVu
 * covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic among others) becomes `?`
 * rather than an empty box; tabs become spaces. The body font's coverage is checked: the mono
 * font draws only hashes, ids and URLs.
 */
export const drawable = (text: string): string => {
  coverage ??= create(reportFontFiles()[ReportFonts.body]);
  const font = coverage;
  return Array.from(text.normalize('NFC'), (ch) => {
    if (ch === '\t') return ' ';
    if (ch === '\n' || ch === '\r') return ch;
    return font.hasGlyphForCodePoint(ch.codePointAt(0)!) ? ch : '?';
  }).join('');
};
