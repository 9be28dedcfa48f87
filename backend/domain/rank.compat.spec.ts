/*
 * Keys written before order keys came from `fractional-indexing` stay valid: lists built with
 * the former hand-made algorithm (kept below, verbatim, as a fixture) are accepted, and every
 * key rank.ts now draws between their entries lands strictly between them, in a valid form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/support/random';
import { isValidRank, jitteredRankBetween, rankBetween, ranksBetween } from './rank';

const alphabet = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];

/** A list of keys grown by the former algorithm: `steps` inserts of one to five keys at random places. */
function legacyList(steps: number, seed: number): string[] {
  const random = seededRandom(seed);
  const list: string[] = [];
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(random() * (list.length + 1));
    const [a, b] = [list[at - 1] ?? null, list[at] ?? null];
    const keys = random() < 0.3 ? [legacyRankBetween(a, b)] : legacyRanksBetween(a, b, 1 + Math.floor(random() * 5), random);
    list.splice(at, 0, ...keys);
  }
  return list;
}

const between = (key: string, a: string | null, b: string | null) => (a === null || a < key) && (b === null || key < b);

describe('order keys written by the former algorithm', () => {
  it('are judged well-formed exactly as before, for any string', () => {
    const candidate = fc.oneof(
      fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 40 }),
      fc.string({ maxLength: 8 }),
      fc.constantFrom('A' + '0'.repeat(26), 'A' + '0'.repeat(25) + '1', 'a0', 'a00', 'a10', 'z' + 'z'.repeat(26), 'Zz', 'b0'),
    );
    fc.assert(
      fc.property(candidate, (key) => {
        expect(isValidRank(key), key).toBe(legacyIsValidRank(key));
      }),
      { numRuns: 5000 },
    );
  });

  it('take new keys strictly between any two neighbours and at either end', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 150 }), fc.integer(), (steps, seed) => {
        const list = legacyList(steps, seed);
        const random = seededRandom(~seed);
        expect(list.filter((key) => !isValidRank(key))).toEqual([]);
        const misplaced: string[] = [];
        for (let at = 0; at <= list.length; at++) {
          const [a, b] = [list[at - 1] ?? null, list[at] ?? null];
          for (const key of [rankBetween(a, b), jitteredRankBetween(a, b, random), ...ranksBetween(a, b, 3, random)]) {
            if (!isValidRank(key) || !legacyIsValidRank(key) || !between(key, a, b)) misplaced.push(`${key} for ${a}..${b}`);
          }
        }
        expect(misplaced).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('keep their order when new and former keys mix under further edits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 200 }),
        fc.integer(),
        (steps, places, seed) => {
          const list = legacyList(steps, seed);
          const random = seededRandom(seed ^ 0x5eed);
          for (const place of places) {
            const at = place % (list.length + 1);
            list.splice(at, 0, ...ranksBetween(list[at - 1] ?? null, list[at] ?? null, 1 + (place % 3), random));
          }
          expect([...list].sort()).toEqual(list);
          expect(new Set(list).size).toBe(list.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('get the same key as before between two keys and at either end', () => {
    const list = legacyList(300, 42);
    expect(rankBetween(null, list[0]!)).toBe(legacyRankBetween(null, list[0]!));
    for (let at = 1; at < list.length; at++)
      expect(rankBetween(list[at - 1]!, list[at]!)).toBe(legacyRankBetween(list[at - 1]!, list[at]!));
    expect(rankBetween(list.at(-1)!, null)).toBe(legacyRankBetween(list.at(-1)!, null));
  });
});

// The former hand-made algorithm, as it wrote keys until fractional-indexing replaced it.

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const ZERO = DIGITS.charAt(0);
const LAST = DIGITS.charAt(BASE - 1);
const INTEGER_ZERO = 'a0';
const SMALLEST_INTEGER = `A${ZERO.repeat(26)}`;

function integerLength(head: string): number {
  if (head >= 'a' && head <= 'z') return head.charCodeAt(0) - 'a'.charCodeAt(0) + 2;
  if (head >= 'A' && head <= 'Z') return 'Z'.charCodeAt(0) - head.charCodeAt(0) + 2;
  throw new RangeError(`invalid order key head: ${head}`);
}

function integerPart(key: string): string {
  const length = integerLength(key.charAt(0));
  if (length > key.length) throw new RangeError(`invalid order key: ${key}`);
  return key.slice(0, length);
}

/** True when `key` is a well-formed order key. */
function legacyIsValidRank(key: string): boolean {
  try {
    if (key === SMALLEST_INTEGER || key.length === 0) return false;
    if ([...key].some((c) => !DIGITS.includes(c))) return false;
    const int = integerPart(key);
    return !key.slice(int.length).endsWith(ZERO);
  } catch {
    return false;
  }
}

function assertValid(key: string): void {
  if (!legacyIsValidRank(key)) throw new RangeError(`invalid order key: ${key}`);
}

/** A digit string strictly between fractions `a` and `b` (`b` null = 1). */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a.charAt(n) || ZERO) === b.charAt(n)) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const digitA = a ? DIGITS.indexOf(a.charAt(0)) : 0;
  const digitB = b !== null ? DIGITS.indexOf(b.charAt(0)) : BASE;
  if (digitB - digitA > 1) return DIGITS.charAt(Math.round((digitA + digitB) / 2));
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS.charAt(digitA) + midpoint(a.slice(1), null);
}

function stepInteger(int: string, delta: 1 | -1): string | null {
  const head = int.charAt(0);
  const digits = [...int.slice(1)];
  let carry = true;
  for (let i = digits.length - 1; carry && i >= 0; i--) {
    const d = DIGITS.indexOf(digits[i] as string) + delta;
    if (d === BASE) digits[i] = ZERO;
    else if (d === -1) digits[i] = LAST;
    else {
      digits[i] = DIGITS.charAt(d);
      carry = false;
    }
  }
  if (!carry) return head + digits.join('');
  if (delta === 1) {
    if (head === 'Z') return INTEGER_ZERO;
    if (head === 'z') return null;
    const next = String.fromCharCode(head.charCodeAt(0) + 1);
    if (next > 'a') digits.push(ZERO);
    else digits.pop();
    return next + digits.join('');
  }
  if (head === 'a') return `Z${LAST}`;
  if (head === 'A') return null;
  const next = String.fromCharCode(head.charCodeAt(0) - 1);
  if (next < 'Z') digits.push(LAST);
  else digits.pop();
  return next + digits.join('');
}

/** The shortest key strictly between `a` and `b`; null means "before everything"/"after everything". */
function legacyRankBetween(a: string | null, b: string | null): string {
  if (a !== null) assertValid(a);
  if (b !== null) assertValid(b);
  if (a !== null && b !== null && a >= b) throw new RangeError(`${a} is not before ${b}`);
  if (a === null) {
    if (b === null) return INTEGER_ZERO;
    const ib = integerPart(b);
    if (ib === SMALLEST_INTEGER) return ib + midpoint('', b.slice(ib.length));
    // Stepping the integer down (rather than reusing it) keeps repeated prepends short.
    const previous = stepInteger(ib, -1);
    if (previous === null) throw new RangeError('cannot order before the smallest key');
    return previous;
  }
  const ia = integerPart(a);
  const fa = a.slice(ia.length);
  if (b === null) {
    const next = stepInteger(ia, 1);
    return next === null ? ia + midpoint(fa, null) : next;
  }
  const ib = integerPart(b);
  if (ia === ib) return ia + midpoint(fa, b.slice(ib.length));
  const next = stepInteger(ia, 1);
  if (next !== null && next < b) return next;
  return ia + midpoint(fa, null);
}

function randomSuffix(random: () => number, length: number): string {
  let suffix = '';
  for (let i = 0; i < length - 1; i++) suffix += DIGITS.charAt(Math.floor(random() * BASE));
  // The last digit is never zero, so the suffixed key stays well-formed.
  return suffix + DIGITS.charAt(1 + Math.floor(random() * (BASE - 1)));
}

/**
 * A key between `a` and `b` with a random tail, so writers that read the same neighbours at
 * the same moment (concurrent appends) still get distinct keys.
 */
function legacyJitteredRankBetween(a: string | null, b: string | null, random: () => number = Math.random): string {
  let key = legacyRankBetween(a, b);
  // Appending to a proper prefix of `b` could overshoot it; step closer to `b` first.
  for (let i = 0; b !== null && b.startsWith(key) && i < 8; i++) key = legacyRankBetween(key, b);
  const candidate = key + randomSuffix(random, 5);
  return b === null || candidate < b ? candidate : key;
}

/** `count` ascending keys between `a` and `b`, bisecting so keys stay short. */
function legacyRanksBetween(a: string | null, b: string | null, count: number, random: () => number = Math.random): string[] {
  if (count <= 0) return [];
  if (b === null) {
    // Appending: consecutive integers are the shortest keys.
    const keys: string[] = [];
    let previous = a;
    for (let i = 0; i < count; i++) keys.push((previous = legacyJitteredRankBetween(previous, null, random)));
    return keys;
  }
  const middle = Math.floor(count / 2);
  const key = legacyJitteredRankBetween(a, b, random);
  return [...legacyRanksBetween(a, key, middle, random), key, ...legacyRanksBetween(key, b, count - middle - 1, random)];
}
