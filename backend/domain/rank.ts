import { BASE_62_DIGITS, generateKeyBetween } from 'fractional-indexing';

/**
 * Fractional order keys for playlist entries, in the `fractional-indexing` format. Keys are
 * strings that sort with plain byte comparison (as DynamoDB sorts string keys), and there is
 * always a key between two others, so moving or inserting an entry rewrites only that entry.
 *
 * A key is an integer part followed by an optional fraction, in base-62 digits. The integer
 * part's first letter encodes its length (`a` → 1 digit, `b` → 2 digits …; `Z`, `Y` … for
 * negatives), so appending at either end grows keys logarithmically instead of linearly. A
 * fraction never ends in the zero digit, which keeps every key strictly between two others
 * reachable. On top of the library: validation of stored keys, an integer step (not a longer
 * fraction) when adding before a key that has a fraction, a random tail for concurrent writers,
 * and rebalancing when edits at one spot make keys long.
 */
const DIGITS = BASE_62_DIGITS;
const BASE = DIGITS.length;

/** A source of uniform numbers in [0, 1); injectable so tests are deterministic. */
export type RandomSource = () => number;

/** True when `key` is a well-formed order key. */
export function isValidRank(key: string): boolean {
  // The library checks a key's structure but reads a character outside the alphabet as a zero digit.
  if (key.length === 0 || [...key].some((c) => !DIGITS.includes(c))) return false;
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

/** The shortest key strictly between `a` and `b`; null means "before everything"/"after everything". */
export function rankBetween(a: string | null, b: string | null): string {
  for (const key of [a, b]) if (key !== null && !isValidRank(key)) throw new RangeError(`invalid order key: ${key}`);
  // The library would swap misordered bounds; here they are a caller's bug.
  if (a !== null && b !== null && a >= b) throw new RangeError(`${a} is not before ${b}`);
  if (a === null && b !== null) {
    // For a `b` with a fraction (every jittered key has one) the library answers b's own integer
    // part, so each add at the start would lengthen keys by a digit; step below that integer
    // instead, as appends step above. The smallest integer has none below it: bisect under `b`.
    const integer = integerPart(b);
    if (integer !== b && isValidRank(integer)) return generateKeyBetween(null, integer);
  }
  return generateKeyBetween(a, b);
}

/** The integer part of a valid key: its head letter and as many digits as the head says. */
function integerPart(key: string): string {
  const head = key.charAt(0);
  const digits = head >= 'a' ? head.charCodeAt(0) - 'a'.charCodeAt(0) + 1 : 'Z'.charCodeAt(0) - head.charCodeAt(0) + 1;
  return key.slice(0, 1 + digits);
}

function randomSuffix(random: RandomSource, length: number): string {
  let suffix = '';
  for (let i = 0; i < length - 1; i++) suffix += DIGITS.charAt(Math.floor(random() * BASE));
  // The last digit is never zero, so the suffixed key stays well-formed.
  return suffix + DIGITS.charAt(1 + Math.floor(random() * (BASE - 1)));
}

/**
 * A key between `a` and `b` with a random tail, so writers that read the same neighbours at
 * the same moment (concurrent appends) still get distinct keys.
 */
export function jitteredRankBetween(a: string | null, b: string | null, random: RandomSource = Math.random): string {
  let key = rankBetween(a, b);
  // Appending to a proper prefix of `b` could overshoot it; step closer to `b` first.
  for (let i = 0; b !== null && b.startsWith(key) && i < 8; i++) key = rankBetween(key, b);
  const candidate = key + randomSuffix(random, 5);
  return b === null || candidate < b ? candidate : key;
}

/**
 * `count` ascending keys between `a` and `b`, bisecting so keys stay short (as the library's
 * `generateNKeysBetween` does, but with a random tail on every key).
 */
export function ranksBetween(a: string | null, b: string | null, count: number, random: RandomSource = Math.random): string[] {
  if (count <= 0) return [];
  if (b === null) {
    // Appending: consecutive integers are the shortest keys.
    const keys: string[] = [];
    let previous = a;
    for (let i = 0; i < count; i++) keys.push((previous = jitteredRankBetween(previous, null, random)));
    return keys;
  }
  const middle = Math.floor(count / 2);
  const key = jitteredRankBetween(a, b, random);
  return [...ranksBetween(a, key, middle, random), key, ...ranksBetween(key, b, count - middle - 1, random)];
}

/** Longest key ever written; far below DynamoDB's 1,024-byte limit for index sort keys. */
export const MAX_RANK_LENGTH = 64;
/** A rebalance must bring the keys it writes under this, or it takes a wider window. */
const REBALANCED_RANK_LENGTH = 24;
/** Entries read on each side of the gap, widening until a rebalance gives short keys. */
export const REBALANCE_WINDOWS = [8, 32, 128, 512, Infinity] as const;

export interface RankedEntry {
  id: string;
  rank: string;
}

/** The entries around a gap: `before` and `after` ascending, `lower`/`upper` the ranks just outside (null: none). */
export interface RankWindow {
  lower: string | null;
  before: RankedEntry[];
  after: RankedEntry[];
  upper: string | null;
}

export interface RankRewrite {
  id: string;
  from: string;
  to: string;
}

export type RankPlan =
  | { kind: 'ranks'; ranks: string[]; rewrites: RankRewrite[] }
  /** Even a rebalance of this window leaves long keys: read a wider one. */
  | { kind: 'widen' };

/**
 * Ranks for `count` entries placed in the gap between `window.before` and `window.after`. When
 * the plain keys would be longer than `MAX_RANK_LENGTH` (many edits at one spot), the window's
 * entries get evenly spaced keys between `lower` and `upper` along with the new ones.
 *
 * Rewrites come in an order that keeps the list sorted after each single write, so readers,
 * an interrupted rebalance, or one that stops at a failed condition never see entries out of
 * order: entries moving down first, lowest first, then those moving up, highest first.
 */
export function planRanks(window: RankWindow, count: number, random: RandomSource = Math.random): RankPlan {
  const gapLow = window.before.at(-1)?.rank ?? window.lower;
  const gapHigh = window.after[0]?.rank ?? window.upper;
  const plain = ranksBetween(gapLow, gapHigh, count, random);
  if (plain.every((key) => key.length <= MAX_RANK_LENGTH)) return { kind: 'ranks', ranks: plain, rewrites: [] };

  const total = window.before.length + count + window.after.length;
  const fresh = ranksBetween(window.lower, window.upper, total, random);
  if (fresh.some((key) => key.length > REBALANCED_RANK_LENGTH)) {
    if (window.lower !== null || window.upper !== null) return { kind: 'widen' };
  }
  const existing = [...window.before, ...window.after];
  const targets = [...fresh.slice(0, window.before.length), ...fresh.slice(window.before.length + count)];
  const changes = existing.map((entry, i) => ({ id: entry.id, from: entry.rank, to: targets[i] as string }));
  const down = changes.filter((c) => c.to < c.from);
  const up = changes.filter((c) => c.to > c.from).reverse();
  return { kind: 'ranks', ranks: fresh.slice(window.before.length, window.before.length + count), rewrites: [...down, ...up] };
}
