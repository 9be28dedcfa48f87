/**
 * Fractional order keys for playlist entries. Keys are strings that sort with plain byte
 * comparison (as DynamoDB sorts string keys), and there is always a key between two others,
 * so moving or inserting an entry rewrites only that entry.
 *
 * A key is an integer part followed by an optional fraction. The integer part's first
 * character encodes its length (`a` → 1 digit, `b` → 2 digits …; `Z`, `Y` … for negatives),
 * so appending at either end grows keys logarithmically instead of linearly. A fraction never
 * ends in the zero digit, which keeps every key strictly between two others reachable.
 */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const ZERO = DIGITS.charAt(0);
const LAST = DIGITS.charAt(BASE - 1);
const INTEGER_ZERO = 'a0';
const SMALLEST_INTEGER = `A${ZERO.repeat(26)}`;

/** A source of uniform numbers in [0, 1); injectable so tests are deterministic. */
export type RandomSource = () => number;

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
export function isValidRank(key: string): boolean {
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
  if (!isValidRank(key)) throw new RangeError(`invalid order key: ${key}`);
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
export function rankBetween(a: string | null, b: string | null): string {
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

/** `count` ascending keys between `a` and `b`, bisecting so keys stay short. */
export function ranksBetween(
  a: string | null,
  b: string | null,
  count: number,
  random: RandomSource = Math.random,
): string[] {
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
