import { describe, expect, it } from '@jest/globals';
import { drawable } from './report-fonts.js';

describe('drawable', () => {
  it('keeps Latin, Greek and Cyrillic text and the typographic punctuation', () => {
    expect(drawable('Modèle “v2” — 5 € ’n’ Straße, Ελληνικό μοντέλο, Модель ИИ')).toBe('Modèle “v2” — 5 € ’n’ Straße, Ελληνικό μοντέλο, Модель ИИ');
  });

  it('replaces characters no report font has, one ? per character', () => {
    expect(drawable('模型 क')).toBe('?? ?');
  });

  it('composes decomposed accents before deciding', () => {
    expect(drawable('e\u0301')).toBe('é');
  });

  it('turns tabs into spaces, keeps line breaks and replaces other control characters', () => {
    expect(drawable('a\tb\nc\u0007')).toBe('a b\nc?');
  });
});
