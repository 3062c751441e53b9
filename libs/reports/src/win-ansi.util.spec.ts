import { describe, expect, it } from '@jest/globals';
import { isWinAnsi, isWinAnsiCharacter } from './win-ansi.util.js';

describe('isWinAnsi', () => {
  it('takes ASCII, Latin-1 and the Windows-1252 punctuation', () => {
    expect(isWinAnsi('Modèle “v2” — 5 € ’n’ Straße')).toBe(true);
  });

  it('refuses text with any character the standard fonts cannot draw', () => {
    for (const text of ['模型', 'a ✓', '😀', 'Ελληνικό', 'Модель', 'Ł']) expect(isWinAnsi(text)).toBe(false);
  });

  it('composes decomposed accents before deciding', () => {
    expect(isWinAnsi('e\u0301')).toBe(true);
  });

  it('lets control characters through (the report draws them as ? either way)', () => {
    expect(isWinAnsi('a\tb\nc\u0007')).toBe(true);
  });

  it('tells one character at a time, control characters not being printable', () => {
    for (const ch of ['a', 'é', '€', '—', '\u00a0']) expect(isWinAnsiCharacter(ch)).toBe(true);
    for (const ch of ['λ', 'Ж', '模', '\t', '\u0007', '\u007f', '\u0081']) expect(isWinAnsiCharacter(ch)).toBe(false);
  });
});
