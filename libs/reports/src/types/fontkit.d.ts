// fontkit ships no types; the report uses a parsed font's glyph coverage and hands the font to pdfkit.
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Buffer, postscriptName?: string): Font;
}
