import type { RandomSource } from './rank';

/** How many leading tracks should differ from the previous feed's lead. */
export const HEAD_SIZE = 12;

/** Fisher–Yates: every permutation equally likely, given a uniform `random`. Returns a new array. */
export function fisherYates<T>(items: readonly T[], random: RandomSource = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Moves tracks that led the previous feed out of the first `headSize` places (keeping the
 * shuffled order otherwise), so listeners who open the popup twice in a row see new music
 * first. When the catalog is too small, as many fresh tracks as exist lead.
 */
export function avoidRepeatedHead<T extends { id: string }>(
  shuffled: readonly T[],
  previousHead: readonly string[],
  headSize = HEAD_SIZE,
): T[] {
  const repeated = new Set(previousHead);
  const fresh = shuffled.filter((t) => !repeated.has(t.id));
  const head = fresh.slice(0, headSize);
  const taken = new Set(head.map((t) => t.id));
  return [...head, ...shuffled.filter((t) => !taken.has(t.id))];
}

/**
 * The global mix: a fresh permutation of the catalog's track ids whose first `HEAD_SIZE` differ
 * from `previousHead` (the lead of the mix published before) whenever the catalog allows it.
 */
export function shuffledMix(
  trackIds: readonly string[],
  options: { previousHead?: readonly string[]; random?: RandomSource } = {},
): string[] {
  const shuffled = fisherYates(
    trackIds.map((id) => ({ id })),
    options.random,
  );
  return avoidRepeatedHead(shuffled, options.previousHead ?? []).map((t) => t.id);
}
