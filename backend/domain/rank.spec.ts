import { describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '../../test/support/random';
import {
  isValidRank,
  jitteredRankBetween,
  MAX_RANK_LENGTH,
  planRanks,
  rankBetween,
  ranksBetween,
  REBALANCE_WINDOWS,
  type RankedEntry,
} from './rank';

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

/** Inserts one entry before index `at` of `list` (sorted), as the playlist commands do. */
function insertAt(list: RankedEntry[], at: number, id: string, random: () => number): { rewrites: number } {
  for (const size of REBALANCE_WINDOWS) {
    const from = Math.max(0, at - size);
    const to = Math.min(list.length, at + size);
    const window = {
      lower: list[from - 1]?.rank ?? null,
      before: list.slice(from, at),
      after: list.slice(at, to),
      upper: list[to]?.rank ?? null,
    };
    const plan = planRanks(window, 1, random);
    if (plan.kind === 'widen') continue;
    const index = new Map(list.slice(from, to).map((e, i) => [e.id, from + i]));
    for (const rewrite of plan.rewrites) {
      const i = index.get(rewrite.id)!;
      const entry = list[i]!;
      if (entry.rank !== rewrite.from) throw new Error(`stale rewrite of ${entry.id}`);
      entry.rank = rewrite.to;
      // Every single rewrite leaves the list in order (readers and interrupted rebalances).
      if (!((list[i - 1]?.rank ?? '') < entry.rank && entry.rank < (list[i + 1]?.rank ?? '~'))) throw new Error(`out of order at ${i}`);
    }
    list.splice(at, 0, { id, rank: plan.ranks[0]! });
    return { rewrites: plan.rewrites.length };
  }
  throw new Error('no window was wide enough');
}

describe('planRanks', () => {
  const start = (n: number, random: () => number) => ranksBetween(null, null, n, random).map((rank, i) => ({ id: `e${i}`, rank }));

  it('needs no rewrites while keys are short', () => {
    const random = seeded(5);
    const list = start(10, random);
    expect(insertAt(list, 4, 'x', random)).toEqual({ rewrites: 0 });
  });

  it.each([
    ['before the same entry', (list: RankedEntry[], anchor: string) => list.findIndex((e) => e.id === anchor)],
    ['at the same index', () => 2],
  ])(
    'keeps keys within the bound over 10,000 inserts %s',
    (_, position) => {
      const random = seeded(11);
      const list = start(20, random);
      let rewrites = 0;
      for (let i = 0; i < 10_000; i++) {
        const at = position(list, 'e10');
        rewrites += insertAt(list, at, `n${i}`, random).rewrites;
        if (list[at]!.rank.length > MAX_RANK_LENGTH) throw new Error(`key of ${list[at]!.rank.length} chars after ${i} inserts`);
      }
      expect(Math.max(...list.map((e) => e.rank.length))).toBeLessThanOrEqual(MAX_RANK_LENGTH);
      expect(list.every((e, i) => i === 0 || list[i - 1]!.rank < e.rank)).toBe(true);
      expect(list.every((e) => isValidRank(e.rank))).toBe(true);
      // Rebalancing is occasional: well under a handful of rewrites per insert on average.
      expect(rewrites / 10_000).toBeLessThan(5);
    },
    60_000,
  );
});
