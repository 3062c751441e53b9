// The characters of Windows-1252 above Latin-1's printable range that have a glyph in the
// PDF standard fonts (WinAnsiEncoding, PDF 32000-1 annex D).
const OUTSIDE_WIN_ANSI = /[^\t\n\r\x20-\x7e\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/u;

/**
 * Whether the PDF standard fonts can draw all of `text` (after composing decomposed accents): they
 * cover WinAnsiEncoding only, and draw a wrong glyph for anything else. Other control characters
 * count as drawable: the report draws them as `?` with either font.
 */
export const isWinAnsi = (text: string): boolean => !OUTSIDE_WIN_ANSI.test(text.normalize('NFC').replace(/[\x00-\x1f\x7f]/g, ''));
