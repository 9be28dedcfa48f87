import type { RandomSource } from './rank';

/** The published home feed: ids only; `GET /home` resolves its tracks into the API's `HomeFeed`. */
export interface PublishedFeed {
  generatedAt: string;
  /** A permutation of the catalog (capped at `MAX_FEED_TRACKS`). */
  trackIds: string[];
  sections: { title: string; trackIds: string[] }[];
}

/** What the shuffle needs to know about a track. */
export interface ShuffleCandidate {
  id: string;
  genre?: string;
}

export const FRESH_PICKS_TITLE = 'Fresh picks';
/** How many leading tracks should differ from the previous feed's lead. */
export const HEAD_SIZE = 12;
export const SECTION_SIZE = 12;
export const MAX_GENRE_SECTIONS = 6;
/** Keeps the single feed item far below DynamoDB's 400 KB item limit. */
export const MAX_FEED_TRACKS = 5000;

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
 * Builds a new feed: a fresh permutation of the catalog, a "Fresh picks" row of its first
 * tracks, and one row per most common genre.
 */
export function buildHomeFeed(
  catalog: readonly ShuffleCandidate[],
  options: { previous?: PublishedFeed; now: Date; random?: RandomSource },
): PublishedFeed {
  const random = options.random ?? Math.random;
  const previousHead = options.previous?.trackIds.slice(0, HEAD_SIZE) ?? [];
  const ordered = avoidRepeatedHead(fisherYates(catalog, random), previousHead).slice(0, MAX_FEED_TRACKS);

  const byGenre = new Map<string, string[]>();
  for (const track of ordered) {
    const genre = track.genre?.trim();
    if (!genre) continue;
    const ids = byGenre.get(genre) ?? [];
    ids.push(track.id);
    byGenre.set(genre, ids);
  }
  const genreSections = [...byGenre.entries()]
    .sort(([ga, a], [gb, b]) => b.length - a.length || ga.localeCompare(gb))
    .slice(0, MAX_GENRE_SECTIONS)
    .map(([genre, ids]) => ({ title: genre, trackIds: ids.slice(0, SECTION_SIZE) }));

  const trackIds = ordered.map((t) => t.id);
  return {
    generatedAt: options.now.toISOString(),
    trackIds,
    sections: trackIds.length ? [{ title: FRESH_PICKS_TITLE, trackIds: trackIds.slice(0, SECTION_SIZE) }, ...genreSections] : [],
  };
}

/** Where the current home feed lives; publishing replaces it in one write. */
export interface HomeRepository {
  current(): Promise<PublishedFeed | undefined>;
  publish(feed: PublishedFeed): Promise<void>;
}
