/*
 * Properties of the shuffle: any catalog gives a permutation of itself, and the previous
 * feed's lead is kept out of the new head whenever the catalog has enough other tracks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/support/random';
import { avoidRepeatedHead, fisherYates, HEAD_SIZE, shuffledMix } from './shuffle';

const catalogArbitrary = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 80 });

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('shuffle (property)', () => {
  it('fisherYates returns a permutation of any list', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (items, seed) => {
        const out = fisherYates(items, seededRandom(seed));
        expect([...out].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
      }),
    );
  });

  it('shuffledMix is a permutation of any catalog', () => {
    fc.assert(
      fc.property(catalogArbitrary, fc.integer(), (catalog, seed) => {
        expect(sorted(shuffledMix(catalog, { random: seededRandom(seed) }))).toEqual(sorted(catalog));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the previous lead out of the head when possible, and leads with every fresh track otherwise', () => {
    fc.assert(
      fc.property(catalogArbitrary, fc.integer(), fc.integer(), (catalog, seed1, seed2) => {
        const previous = shuffledMix(catalog, { random: seededRandom(seed1) });
        const mix = shuffledMix(catalog, { previousHead: previous.slice(0, HEAD_SIZE), random: seededRandom(seed2) });
        expect(sorted(mix)).toEqual(sorted(catalog));
        const previousHead = new Set(previous.slice(0, HEAD_SIZE));
        const freshCount = catalog.filter((id) => !previousHead.has(id)).length;
        for (const id of mix.slice(0, Math.min(HEAD_SIZE, freshCount))) expect(previousHead.has(id)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('avoidRepeatedHead keeps the shuffled order apart from the tracks it moves', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(200), { maxLength: 60 }),
        fc.uniqueArray(fc.nat(200), { maxLength: 20 }),
        fc.integer({ min: 0, max: 20 }),
        (ids, previous, headSize) => {
          const shuffled = ids.map((n) => ({ id: String(n) }));
          const out = avoidRepeatedHead(shuffled, previous.map(String), headSize);
          expect(sorted(out.map((t) => t.id))).toEqual(sorted(shuffled.map((t) => t.id)));
          const head = out.slice(0, headSize).map((t) => t.id);
          const rest = out.slice(headSize).map((t) => t.id);
          // Head and rest each keep the shuffled relative order.
          const position = new Map(shuffled.map((t, i) => [t.id, i]));
          for (const part of [head.filter((id) => !previous.includes(Number(id))), rest]) {
            for (let i = 1; i < part.length; i++) expect(position.get(part[i - 1]!)! < position.get(part[i]!)!).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
