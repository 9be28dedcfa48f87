import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/support/random';
import { avoidRepeatedHead, fisherYates, shuffledMix } from './shuffle';

describe('fisherYates', () => {
  it('returns a permutation and leaves its input alone', () => {
    const input = Array.from({ length: 100 }, (_, i) => i);
    const out = fisherYates(input, seededRandom(1));
    expect(input).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...out].sort((a, b) => a - b)).toEqual(input);
    expect(out).not.toEqual(input);
  });

  it('makes every permutation of a small catalog equally likely (chi-square)', () => {
    const random = seededRandom(42);
    const counts = new Map<string, number>();
    const runs = 24_000;
    for (let i = 0; i < runs; i++) {
      const key = fisherYates(['a', 'b', 'c', 'd'], random).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const expected = runs / 24;
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 23 degrees of freedom: 49.73 is the p = 0.001 critical value.
    expect(chiSquare).toBeLessThan(49.73);
  });

  it('is detectably biased with the classic off-by-one swap (the check has teeth)', () => {
    const random = seededRandom(42);
    const counts = new Map<string, number>();
    for (let i = 0; i < 24_000; i++) {
      const out = ['a', 'b', 'c', 'd'];
      for (let k = out.length - 1; k > 0; k--) {
        const j = Math.floor(random() * out.length); // wrong: should be k + 1
        [out[k], out[j]] = [out[j]!, out[k]!];
      }
      counts.set(out.join(''), (counts.get(out.join('')) ?? 0) + 1);
    }
    const expected = 1000;
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeGreaterThan(49.73);
  });
});

describe('avoidRepeatedHead', () => {
  const tracks = (ids: string) => [...ids].map((id) => ({ id }));

  it('moves the previous lead out of the head, keeping the rest in order', () => {
    const out = avoidRepeatedHead(tracks('abcdefgh'), ['a', 'c'], 3);
    expect(out.map((t) => t.id).join('')).toBe('bdeacfgh');
  });

  it('leads with as many fresh tracks as exist in a tiny catalog', () => {
    expect(
      avoidRepeatedHead(tracks('abc'), ['a', 'b'], 3)
        .map((t) => t.id)
        .join(''),
    ).toBe('cab');
  });
});

describe('shuffledMix', () => {
  const catalog = Array.from({ length: 60 }, (_, i) => `t${i}`);

  it('is a permutation of the catalog', () => {
    const mix = shuffledMix(catalog, { random: seededRandom(5) });
    expect([...mix].sort()).toEqual([...catalog].sort());
    expect(mix).not.toEqual(catalog);
  });

  it('does not lead with the previous mix’s first tracks', () => {
    const previous = shuffledMix(catalog, { random: seededRandom(1) });
    const next = shuffledMix(catalog, { previousHead: previous.slice(0, 12), random: seededRandom(1) });
    const lead = new Set(previous.slice(0, 12));
    expect(next.slice(0, 12).filter((id) => lead.has(id))).toEqual([]);
  });

  it('is empty for an empty catalog', () => {
    expect(shuffledMix([])).toEqual([]);
  });
});
