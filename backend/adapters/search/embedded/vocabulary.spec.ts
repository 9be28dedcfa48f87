import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { typoDistance } from '../../../domain/search-typos';
import { Vocabulary } from './vocabulary';

/** Words over a small alphabet (one letter outside Latin-1), so many lie within an edit or two of each other. */
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'e', 'n', 'r', 's', 'λ'), minLength: 1, maxLength: 12 });

const vocabularyOf = (words: readonly string[]) => new Vocabulary([...new Set(words)].sort());

/** The typo lookup's answer as `word:edits`, sorted. */
const typoHits = (vocabulary: Vocabulary, query: string, maxEdits: number) =>
  vocabulary
    .withinEdits(query, maxEdits)
    .map(({ id, edits }) => `${vocabulary.words[id]}:${edits}`)
    .sort();

/** The same by scanning every word with the domain's distance. */
const scanned = (vocabulary: Vocabulary, query: string, maxEdits: number) =>
  vocabulary.words
    .flatMap((candidate) => {
      const edits = typoDistance(query, candidate, maxEdits);
      return edits <= maxEdits ? [`${candidate}:${edits}`] : [];
    })
    .sort();

describe('Vocabulary', () => {
  it('finds by typo exactly the words a scan with typoDistance finds, with the same edits', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { minLength: 1, maxLength: 300 }),
        fc.array(word, { minLength: 1, maxLength: 10 }),
        (words, queries) => {
          const vocabulary = vocabularyOf(words);
          // Queries both random and one slip away from a catalog word.
          for (const query of [
            ...queries,
            ...words.slice(0, 10).map((w) => w.slice(1) || w + 'a'),
            ...words.slice(0, 10).map((w) => [...w].reverse().join('')),
          ]) {
            for (const maxEdits of [0, 1, 2])
              expect(typoHits(vocabulary, query, maxEdits), `${query} within ${maxEdits}`).toEqual(scanned(vocabulary, query, maxEdits));
          }
        },
      ),
      { seed: 18, numRuns: 60 },
    );
  });

  it('counts an adjacent swap as one edit', () => {
    const vocabulary = vocabularyOf(['harbour', 'small', 'midnight', 'vieh']);
    expect(typoHits(vocabulary, 'harobur', 1)).toEqual(['harbour:1']);
    expect(typoHits(vocabulary, 'smlal', 1)).toEqual(['small:1']);
    expect(typoHits(vocabulary, 'midngiht', 1)).toEqual(['midnight:1']);
    expect(typoHits(vocabulary, 'vih', 1)).toEqual(['vieh:1']);
    expect(typoHits(vocabulary, 'vih', 0)).toEqual([]);
  });

  it('looks words up exactly and by prefix, as one range of ids', () => {
    const vocabulary = vocabularyOf(['sun', 'sunday', 'sunny', 'sunset', 'sunflower', 'son', 'suo', 'su', 'sumo']);
    expect(vocabulary.words[vocabulary.id('sunny')]).toBe('sunny');
    expect(vocabulary.id('sunn')).toBe(-1);
    const range = (prefix: string) => {
      const { from, to } = vocabulary.startingWith(prefix);
      return vocabulary.words.slice(from, to);
    };
    expect(range('sun')).toEqual(['sun', 'sunday', 'sunflower', 'sunny', 'sunset']);
    expect(range('sunn')).toEqual(['sunny']);
    expect(range('su')).toEqual(['su', 'sumo', 'sun', 'sunday', 'sunflower', 'sunny', 'sunset', 'suo']);
    expect(range('x')).toEqual([]);
    expect(range('a')).toEqual([]);
  });

  it('finds the same range as a scan of every word, for any prefix', () => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 200 }), fc.array(word, { minLength: 1, maxLength: 10 }), (words, prefixes) => {
        const vocabulary = vocabularyOf(words);
        for (const prefix of [...prefixes, ...words.slice(0, 10).map((w) => w.slice(0, 2))]) {
          const { from, to } = vocabulary.startingWith(prefix);
          expect(vocabulary.words.slice(from, to), prefix).toEqual(vocabulary.words.filter((w) => w.startsWith(prefix)));
        }
      }),
      { seed: 18, numRuns: 60 },
    );
  });

  it('answers an empty vocabulary with nothing', () => {
    const vocabulary = vocabularyOf([]);
    expect(vocabulary.id('a')).toBe(-1);
    expect(vocabulary.startingWith('ab')).toEqual({ from: 0, to: 0 });
    expect(vocabulary.withinEdits('abc', 2)).toEqual([]);
  });
});
