import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedEdits, transpositions, typoDistance } from './search-typos';

/** Textbook optimal-string-alignment distance, uncapped: the oracle for the capped one. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

describe('typoDistance', () => {
  it('counts each kind of slip as one edit, an adjacent swap included', () => {
    expect(typoDistance('small', 'smlal', 2)).toBe(1); // transposition
    expect(typoDistance('midnight', 'midngiht', 2)).toBe(1);
    expect(typoDistance('harbour', 'harobur', 2)).toBe(1);
    expect(typoDistance('vieh', 'vih', 2)).toBe(1); // deletion
    expect(typoDistance('sun', 'sunn', 2)).toBe(1); // insertion
    expect(typoDistance('hours', 'hoers', 2)).toBe(1); // substitution
    expect(typoDistance('hours', 'hours', 0)).toBe(0);
  });

  it('gives up past the budget with max + 1', () => {
    expect(typoDistance('beyonce', 'formation', 1)).toBe(2);
    expect(typoDistance('abcd', 'badc', 1)).toBe(2);
    expect(typoDistance('abcd', 'badc', 2)).toBe(2);
    expect(typoDistance('a', 'abcdef', 2)).toBe(3);
  });

  it('agrees with the textbook distance wherever it is within the budget', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, max) => {
        const exact = reference(a, b);
        expect(typoDistance(a, b, max)).toBe(exact <= max ? exact : max + 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('allowedEdits', () => {
  it('grows with the length of the word', () => {
    expect([1, 3, 4, 7, 8, 15].map(allowedEdits)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('transpositions', () => {
  it('lists each neighbour swap once, never the word itself', () => {
    expect(transpositions('abc')).toEqual(['bac', 'acb']);
    expect(transpositions('small')).toEqual(['msall', 'samll', 'smlal']);
    expect(transpositions('aa')).toEqual([]);
    expect(transpositions('a')).toEqual([]);
  });
});
