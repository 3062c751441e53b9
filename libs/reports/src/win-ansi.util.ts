// Printable WinAnsiEncoding (PDF 32000-1 annex D): ASCII, Latin-1 and the Windows-1252 punctuation
// above it, all of which the PDF standard fonts have glyphs for.
const WIN_ANSI_PRINTABLE = '\\x20-\\x7e\\xa0-\\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const PRINTABLE = new RegExp(`^[${WIN_ANSI_PRINTABLE}]$`, 'u');
// Control characters count as drawable: the report draws them as `?` (tabs as spaces) with either font.
const OUTSIDE = new RegExp(`[^${WIN_ANSI_PRINTABLE}\\x00-\\x1f\\x7f]`, 'u');

/** Whether the PDF standard fonts have a glyph for this one character. */
export const isWinAnsiCharacter = (ch: string): boolean => PRINTABLE.test(ch);

/**
 * Whether the PDF standard fonts can draw all of `text` (after composing decomposed accents): they
 * cover WinAnsiEncoding only, and draw a wrong glyph for anything else.
 */
export const isWinAnsi = (text: string): boolean => !OUTSIDE.test(text.normalize('NFC'));
