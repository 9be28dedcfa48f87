import { describe, expect, it } from 'vitest';
import { checkDisplayName, DISPLAY_NAME_MAX_LENGTH } from './display-name';

const problemOf = (typed: string) => {
  const checked = checkDisplayName(typed);
  return checked.ok ? undefined : checked.problem;
};

describe('checkDisplayName', () => {
  it.each([
    ['  Ada   Lovelace ', 'Ada Lovelace'],
    ['Ada\u00a0\u2003Lovelace', 'Ada Lovelace'],
    ['Zoe\u0301 Saldan\u0303a', 'Zoé Saldaña'],
    ['Ｒｏａｄ ｔｒｉｐ', 'Ｒｏａｄ ｔｒｉｐ'],
    ['مريم الأحمد', 'مريم الأحمد'],
    ['\u200fיעל כהן', '\u200fיעל כהן'],
    ['李小龍', '李小龍'],
    ['Björk Guðmundsdóttir', 'Björk Guðmundsdóttir'],
    ['👩\u200d👩\u200d👧 Family', '👩\u200d👩\u200d👧 Family'],
    ['🏳\ufe0f\u200d🌈', '🏳\ufe0f\u200d🌈'],
    ['می\u200cخواهم', 'می\u200cخواهم'],
  ])('keeps %j as %j', (typed, name) => {
    expect(checkDisplayName(typed)).toEqual({ ok: true, name });
  });

  it('composes to NFC, so the same name typed two ways is stored once', () => {
    const composed = checkDisplayName('Beyonc\u00e9');
    const decomposed = checkDisplayName('Beyonce\u0301');
    expect(decomposed).toEqual(composed);
    expect(composed).toEqual({ ok: true, name: 'Beyonc\u00e9' });
  });

  it.each([
    ['NUL', 'Road\u0000trip'],
    ['a tab', 'Road\ttrip'],
    ['a line break', 'Road\ntrip'],
    ['a trailing line break', 'Road trip\r\n'],
    ['ESC', '\u001b[2JRoad trip'],
    ['DEL', 'Road\u007ftrip'],
    ['a C1 control (NEL)', 'Road\u0085trip'],
    ['a C1 control (CSI)', 'Road\u009btrip'],
  ])('refuses a control character: %s', (_, typed) => {
    expect(problemOf(typed)).toBe('must not contain control characters');
  });

  it.each(['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])(
    'refuses the bidi embedding, override or isolate U+%s',
    (character) => {
      expect(problemOf(`Invoice ${character}gnp.exe`)).toBe('must not contain bidirectional override or isolate characters');
    },
  );

  it.each([
    ['zero-width space', '\u200b'],
    ['zero-width non-joiner and joiner', '\u200c\u200d'],
    ['word joiner', '\u2060'],
    ['byte order mark between zero-widths', '\u200b\ufeff\u200b'],
    ['Mongolian vowel separator', '\u180e'],
    ['combining marks', '\u0301\u0308\u20dd'],
    ['zero-widths among spaces', ' \u200b \u2060 '],
    ['Hangul filler', '\u3164'],
    ['variation selector', '\ufe0f'],
    ['blank Braille pattern', '\u2800\u2800'],
    ['right-to-left mark', '\u200f'],
  ])('refuses a name with no visible character: %s', (_, typed) => {
    expect(problemOf(typed)).toBe('must contain a visible character');
  });

  it('refuses empty, blank and over-long names, counting after normalization', () => {
    expect(problemOf('')).toBe('must not be empty');
    expect(problemOf(' \u3000 ')).toBe('must not be empty');
    expect(problemOf('x'.repeat(DISPLAY_NAME_MAX_LENGTH + 1))).toBe(`must be at most ${DISPLAY_NAME_MAX_LENGTH} characters`);
    expect(checkDisplayName(`  ${'x'.repeat(DISPLAY_NAME_MAX_LENGTH)}  `).ok).toBe(true);
    expect(checkDisplayName('a b', 2)).toEqual({ ok: false, problem: 'must be at most 2 characters' });
  });

  it('counts characters (code points, as a MySQL varchar(100) does), not UTF-16 units', () => {
    expect(checkDisplayName('🎵'.repeat(DISPLAY_NAME_MAX_LENGTH))).toEqual({ ok: true, name: '🎵'.repeat(DISPLAY_NAME_MAX_LENGTH) });
    expect(problemOf('🎵'.repeat(DISPLAY_NAME_MAX_LENGTH + 1))).toBe(`must be at most ${DISPLAY_NAME_MAX_LENGTH} characters`);
    expect(checkDisplayName('𝄞 ab', 4)).toEqual({ ok: true, name: '𝄞 ab' });
  });

  it('refuses text that is not valid Unicode (a lone surrogate)', () => {
    expect(problemOf('Road \ud800trip')).toBe('must be valid Unicode text');
  });
});
