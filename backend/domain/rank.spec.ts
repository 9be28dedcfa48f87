import { describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '../../test/support/random';
import { isValidRank, jitteredRankBetween, rankBetween, ranksBetween } from './rank';

describe('rankBetween', () => {
  it('starts at the integer zero and steps integers at the ends', () => {
    expect(rankBetween(null, null)).toBe('a0');
    expect(rankBetween('a0', null)).toBe('a1');
    expect(rankBetween(null, 'a0')).toBe('Zz');
    expect(rankBetween('az', null)).toBe('b00');
    expect(rankBetween('a0', 'a1')).toBe('a0V');
  });

  it('returns a valid key strictly between its bounds', () => {
    const random = seeded(7);
    let keys = [rankBetween(null, null)];
    for (let i = 0; i < 2000; i++) {
      const at = Math.floor(random() * (keys.length + 1));
      const key = rankBetween(keys[at - 1] ?? null, keys[at] ?? null);
      expect(isValidRank(key)).toBe(true);
      keys = [...keys.slice(0, at), key, ...keys.slice(at)];
    }
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps keys short under repeated appends and prepends', () => {
    let last = rankBetween(null, null);
    let first = last;
    for (let i = 0; i < 10_000; i++) last = rankBetween(last, null);
    for (let i = 0; i < 10_000; i++) first = rankBetween(null, first);
    expect(last.length).toBeLessThanOrEqual(4);
    expect(first.length).toBeLessThanOrEqual(4);
  });

  it('rejects malformed or misordered bounds', () => {
    expect(() => rankBetween('a1', 'a0')).toThrow(RangeError);
    expect(() => rankBetween('a10', null)).toThrow(RangeError);
    expect(isValidRank('')).toBe(false);
    expect(isValidRank('a#')).toBe(false);
  });
});

describe('jittered ranks', () => {
  it('gives concurrent writers with the same neighbours distinct keys in range', () => {
    const random = seeded(1);
    for (const [a, b] of [
      ['a0', null],
      [null, 'a0'],
      ['a0', 'a0V'],
      ['a0', 'a1'],
      ['a0V', 'a0W'],
    ] as const) {
      const keys = Array.from({ length: 50 }, () => jitteredRankBetween(a, b, random));
      expect(new Set(keys).size).toBe(50);
      for (const key of keys) {
        expect(isValidRank(key)).toBe(true);
        if (a !== null) expect(key > a).toBe(true);
        if (b !== null) expect(key < b).toBe(true);
      }
    }
  });

  it('ranksBetween returns ascending keys between the bounds', () => {
    const random = seeded(3);
    for (const [a, b] of [
      [null, null],
      ['a3', null],
      [null, 'a3'],
      ['a3', 'a4'],
      ['a3', 'a3V'],
    ] as const) {
      const keys = ranksBetween(a, b, 100, random);
      expect(keys).toHaveLength(100);
      expect([...keys].sort()).toEqual(keys);
      expect(new Set(keys).size).toBe(100);
      if (a !== null) expect(keys[0]! > a).toBe(true);
      if (b !== null) expect(keys[99]! < b).toBe(true);
      expect(Math.max(...keys.map((k) => k.length))).toBeLessThan(30);
    }
  });
});
