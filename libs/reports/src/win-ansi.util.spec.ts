import { describe, expect, it } from '@jest/globals';
import { toWinAnsi } from './win-ansi.util.js';

describe('toWinAnsi', () => {
  it('keeps ASCII, Latin-1 and the Windows-1252 punctuation', () => {
    expect(toWinAnsi('Modèle “v2” — 5 € ’n’ Straße')).toBe('Modèle “v2” — 5 € ’n’ Straße');
  });

  it('replaces characters the standard fonts cannot draw, one ? per character', () => {
    expect(toWinAnsi('模型 ✓ 😀')).toBe('?? ? ?');
  });

  it('composes decomposed accents before deciding', () => {
    expect(toWinAnsi('e\u0301')).toBe('é');
  });

  it('turns tabs into spaces, keeps line breaks and replaces other control characters', () => {
    expect(toWinAnsi('a\tb\nc\u0007')).toBe('a b\nc?');
  });
});
