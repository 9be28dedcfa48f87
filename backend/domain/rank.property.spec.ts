/*
 * Property: any sequence of inserts (one or several keys at once, anywhere), moves and removes,
 * with keys drawn from rank.ts the way the playlist repository draws them, keeps a strict total
 * order that matches a plain list model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/support/random';
import { isValidRank, planRanks, rankBetween, ranksBetween } from './rank';

type Op = { kind: 'insert'; at: number; count: number } | { kind: 'move'; from: number; to: number } | { kind: 'remove'; at: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
);

interface Item {
  id: number;
  rank: string;
}

/** The neighbours' ranks around list position `index` (null at either end). */
const boundsAt = (list: readonly Item[], index: number) => [list[index - 1]?.rank ?? null, list[index]?.rank ?? null] as const;

function apply(list: Item[], op: Op, random: () => number, nextId: () => number): void {
  if (op.kind === 'insert') {
    const at = op.at % (list.length + 1);
    const [a, b] = boundsAt(list, at);
    const keys = ranksBetween(a, b, op.count, random);
    list.splice(at, 0, ...keys.map((rank) => ({ id: nextId(), rank })));
    return;
  }
  if (!list.length) return;
  if (op.kind === 'remove') {
    list.splice(op.at % list.length, 1);
    return;
  }
  const [moving] = list.splice(op.from % list.length, 1);
  const to = op.to % (list.length + 1);
  const [a, b] = boundsAt(list, to);
  // A move takes the plain (unjittered) key half the time, the jittered one otherwise.
  const rank = random() < 0.5 ? rankBetween(a, b) : ranksBetween(a, b, 1, random)[0]!;
  list.splice(to, 0, { id: moving!.id, rank });
}

describe('rank keys (property)', () => {
  it('keep a strict total order equal to the list model after any edit sequence', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 120 }), fc.integer(), (ops, seed) => {
        const random = seededRandom(seed);
        let id = 0;
        const list: Item[] = [];
        for (const op of ops) {
          apply(list, op, random, () => id++);
          for (let i = 0; i < list.length; i++) {
            expect(isValidRank(list[i]!.rank)).toBe(true);
            if (i > 0) expect(list[i - 1]!.rank < list[i]!.rank).toBe(true);
          }
        }
        // Sorting by key alone (what a DynamoDB range query does) gives back the model's order.
        const byKey = [...list].sort((x, y) => (x.rank < y.rank ? -1 : x.rank > y.rank ? 1 : 0));
        expect(byKey.map((x) => x.id)).toEqual(list.map((x) => x.id));
        expect(new Set(list.map((x) => x.rank)).size).toBe(list.length);
      }),
      { numRuns: 300 },
    );
  });

  it('stay strictly ordered under long runs of inserts at the same spot', () => {
    fc.assert(
      fc.property(fc.constantFrom('start', 'end', 'middle'), fc.integer({ min: 50, max: 300 }), fc.integer(), (where, n, seed) => {
        const random = seededRandom(seed);
        const list: Item[] = [];
        for (let i = 0; i < n; i++) {
          const at = where === 'start' ? 0 : where === 'end' ? list.length : Math.floor(list.length / 2);
          apply(list, { kind: 'insert', at, count: 1 }, random, () => i);
        }
        for (let i = 1; i < list.length; i++) expect(list[i - 1]!.rank < list[i]!.rank).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('stay short, with no rebalance, under a thousand single adds at either end', () => {
    fc.assert(
      fc.property(fc.constantFrom('start', 'end'), fc.integer(), (where, seed) => {
        const random = seededRandom(seed);
        const ranks: string[] = [];
        let rewrites = 0;
        for (let i = 0; i < 1000; i++) {
          // As a playlist add draws them: the plan for one new key next to the current first or last entry.
          const [lower, upper] = where === 'start' ? [null, ranks[0] ?? null] : [ranks.at(-1) ?? null, null];
          const plan = planRanks({ lower, before: [], after: [], upper }, 1, random);
          if (plan.kind !== 'ranks') throw new Error(`a rebalance over a wider window after ${i} adds`);
          rewrites += plan.rewrites.length;
          if (where === 'start') ranks.unshift(...plan.ranks);
          else ranks.push(...plan.ranks);
        }
        // A thousand integers take three digits; the rest is the five-digit random tail.
        expect(Math.max(...ranks.map((rank) => rank.length))).toBeLessThanOrEqual(8);
        expect(rewrites).toBe(0);
        expect([...ranks].sort()).toEqual(ranks);
      }),
      { numRuns: 20 },
    );
  });
});
