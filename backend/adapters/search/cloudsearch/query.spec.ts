import { describe, expect, it } from 'vitest';
import { parseSearchQuery, withShortWordEdits } from '../../../domain/search-ranking';
import { typoDistance } from '../../../domain/search-typos';
import { alternativeMatches, parseSimpleQuery } from '../../../../test/support/cloudsearch-stub';
import { seededRandom } from '../../../../test/support/random';
import { boostedFields, MAX_QUERY_ALTERNATIVES, MAX_QUERY_BYTES, quoteStructured, searchRequest, simpleQuery } from './query';

const query = (text: string) => simpleQuery(parseSearchQuery(text));

/** Every word one slip away from `word`: a letter replaced, added, dropped, or two neighbours swapped. */
function oneSlip(word: string, random: () => number): string[] {
  const at = Math.floor(random() * word.length);
  const next = Math.min(at + 1, word.length - 1);
  const letter = 'qxz'[Math.floor(random() * 3)]!;
  return [
    word.slice(0, at) + letter + word.slice(at + 1),
    word.slice(0, at) + letter + word.slice(at),
    word.slice(0, at) + word.slice(at + 1),
    word.slice(0, at) + word[next] + word[at] + word.slice(next + 1),
  ].filter((typed) => typed !== word);
}

describe('CloudSearch query building', () => {
  it('matches short words exactly, the last one also as a prefix', () => {
    expect(query('ab c')).toBe('(ab | ab*)');
    expect(query('vih ro')).toBe('vih (ro | ro*)');
  });

  it('allows one edit from four letters, with every adjacent swap as its own alternative', () => {
    expect(query('smlal hours')).toBe(
      '(smlal | smlal~1 | mslal | slmal | small | smlla) (hours | hours* | hours~1 | ohurs | huors | horus | housr)',
    );
    expect(query('Beyoncé')).toBe('(beyonce | beyonce* | beyonce~1 | ebyonce | byeonce | beoynce | beynoce | beyocne | beyonec)');
  });

  it('allows two edits from eight letters, a swapped variant keeping one more', () => {
    const midnight = query('midngiht sun');
    expect(midnight).toMatch(/^\(midngiht \| midngiht~2 \| imdngiht~1 \| /);
    expect(midnight).toContain('| midnight~1 |');
    expect(midnight.endsWith(' (sun | sun*)')).toBe(true);
  });

  it('gives short words one edit on the retry', () => {
    expect(simpleQuery(parseSearchQuery('vih').map(withShortWordEdits))).toBe('(vih | vih* | vih~1 | ivh | vhi)');
  });

  it('finds the intended word under CloudSearch Levenshtein semantics for any single slip', () => {
    const random = seededRandom(7);
    let checked = 0;
    const words = ['harbour', 'lights', 'midnight', 'small', 'hours', 'sigur', 'reflektor', 'homogenic', 'vieh'];
    for (const word of words) {
      for (const typed of oneSlip(word, random)) {
        const terms = parseSearchQuery(`${typed} zz`).slice(0, 1);
        if (typoDistance(typed, word, terms[0]!.maxEdits) > terms[0]!.maxEdits) continue;
        const [group] = parseSimpleQuery(simpleQuery(terms));
        checked++;
        expect(
          group!.some((alternative) => alternativeMatches(alternative, word)),
          `${typed} → ${word}`,
        ).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('keeps the query bounded in alternatives and encoded bytes, without dropping a word', () => {
    const longWords = Array.from({ length: 8 }, (_, i) => `${'abcdefghijklmnopqrstuvw'.slice(i)}${'x'.repeat(i)}`).join(' ');
    const cyrillic = Array.from({ length: 8 }, () => 'достопримечательность').join(' ');
    for (const text of [longWords, cyrillic]) {
      const terms = parseSearchQuery(text);
      const q = simpleQuery(terms);
      const groups = parseSimpleQuery(q);
      expect(groups).toHaveLength(terms.length);
      expect(groups.flat().length).toBeLessThanOrEqual(MAX_QUERY_ALTERNATIVES);
      expect(Buffer.byteLength(encodeURIComponent(q))).toBeLessThanOrEqual(MAX_QUERY_BYTES);
      groups.forEach((group, i) => expect(group[0]!.word).toBe(terms[i]!.text));
    }
    // Within the bounds the longest words lose their swapped variants first, and keep their typo tolerance.
    const q = simpleQuery(parseSearchQuery(longWords));
    expect(q).toContain('(abcdefghijklmnopqrstuvw | abcdefghijklmnopqrstuvw~2)');
  });

  it('lets no query syntax through', () => {
    expect(query(`"a" +b -cc`)).toBe('a b (cc | cc*)');
    expect(query(`(dd|ee) f* g~2 \\ 'hh' kind:album`)).toBe(
      'dd ee f g 2 hh (kind | kind~1 | iknd | knid | kidn) (album | album* | album~1 | labum | ablum | alubm | albmu)',
    );
    expect(query('*** ~~~ ()')).toBe('');
  });

  it('escapes quoted structured values', () => {
    expect(quoteStructured(`it's a \\ test`)).toBe(`'it\\'s a \\\\ test'`);
  });

  it('filters on kind, asks only for the doc field, and searches the word fields with the shared weights', () => {
    expect(boostedFields('all', 'track')).toEqual(['title_words^3', 'artist_words^2', 'album_words']);
    expect(boostedFields('all', 'album')).toEqual(['album_words^3', 'artist_words^1.5']);
    expect(boostedFields('track', 'artist')).toBeUndefined();
    expect(searchRequest(parseSearchQuery('halo'), 'track', ['title_words^3'], 100, 'or')).toEqual({
      query: '(halo | halo* | halo~1 | ahlo | hlao | haol)',
      queryParser: 'simple',
      queryOptions: JSON.stringify({ fields: ['title_words^3'], defaultOperator: 'or' }),
      filterQuery: "kind:'track'",
      size: 100,
      start: 0,
      return: 'doc',
    });
  });
});
