// The characters of Windows-1252 above Latin-1's printable range that have a glyph in the
// PDF standard fonts (WinAnsiEncoding, PDF 32000-1 annex D).
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the PDF standard fonts can draw: a character outside WinAnsiEncoding becomes `?`
 * (a standard font has no glyph for it and would draw a wrong one); tabs become spaces.
 */
export const toWinAnsi = (text: string): string =>
  Array.from(text.normalize('NFC'), (ch) => {
    if (ch === '\t') return ' ';
    if (ch === '\n' || ch === '\r') return ch;
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) return ch;
    return '?';
  }).join('');
