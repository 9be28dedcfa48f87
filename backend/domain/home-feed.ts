import type { HomeSectionId } from '../../shared/api';
import type { RandomSource } from './rank';

/**
 * The home feed's sections, built by the schedule and stored as track ids. The global feed holds
 * the shuffled mix (`for-you` of a listener the schedule knows nothing about), `new` and `popular`;
 * a listener's own feed holds their `for-you` and `most-played`. `GET /home` puts the two
 * together with `recently-played`, which it reads live (`assembleSections`).
 */
export interface StoredSection {
  id: HomeSectionId;
  title: string;
  trackIds: string[];
}

/** A feed as the home table stores it: ids only; `GET /home` resolves them into tracks. */
export interface StoredFeed {
  generatedAt: string;
  sections: StoredSection[];
}

export const SECTION_TITLES: Record<HomeSectionId, string> = {
  'for-you': 'For you',
  'recently-played': 'Recently played',
  'most-played': 'Most played',
  new: 'New in the library',
  popular: 'Popular this week',
};

export const FOR_YOU_SIZE = 30;
export const SECTION_SIZE = 20;
/** Every n-th "For you" track is one the listener has never played. */
export const DISCOVERY_EVERY = 4;
/** Tracks heard this recently stay out of "For you": the listener knows them. */
export const HEARD_RECENTLY_MS = 24 * 60 * 60 * 1000;
/** A like weighs as much as this many plays in what a listener is taken to enjoy. */
export const LIKE_WEIGHT = 3;
/**
 * Tracks of one genre scored per listener. A genre can hold most of the catalog; a random window
 * of it keeps the work per listener bounded whatever the catalog's size.
 */
export const GENRE_WINDOW = 400;

/** What the feed needs to know about a catalog track. */
export interface FeedTrack {
  id: string;
  artistId: string;
  albumId: string;
  genre?: string;
}

/** What a listener did, as the schedule reads it from the listening table. */
export interface ListenerActivity {
  /** Their plays of each track (all time). */
  counts: readonly { trackId: string; plays: number }[];
  /** Ids of the tracks they like. */
  likes: readonly string[];
  /** Their plays since at least `HEARD_RECENTLY_MS` ago. */
  recentPlays: readonly { trackId: string; startedAt: string }[];
}

/** The catalog grouped the ways "For you" looks it up; built once per run, shared by every listener. */
export class FeedCatalog {
  readonly tracks: readonly FeedTrack[];
  readonly byId = new Map<string, FeedTrack>();
  readonly byArtist = new Map<string, FeedTrack[]>();
  readonly byAlbum = new Map<string, FeedTrack[]>();
  readonly byGenre = new Map<string, FeedTrack[]>();

  constructor(tracks: readonly FeedTrack[]) {
    this.tracks = tracks;
    const add = (map: Map<string, FeedTrack[]>, key: string | undefined, track: FeedTrack) => {
      if (!key) return;
      const list = map.get(key);
      if (list) list.push(track);
      else map.set(key, [track]);
    };
    for (const track of tracks) {
      this.byId.set(track.id, track);
      add(this.byArtist, track.artistId, track);
      add(this.byAlbum, track.albumId, track);
      add(this.byGenre, track.genre?.trim(), track);
    }
  }
}

/** Whether the schedule has anything to build a listener's own feed from. */
export const hasActivity = (activity: ListenerActivity) => activity.counts.some((c) => c.plays > 0) || activity.likes.length > 0;

/**
 * A listener's own sections: "For you" (tracks by the artists, albums and genres they play and
 * like, weighted by plays and likes, without what they heard in the last day, every
 * `DISCOVERY_EVERY`-th one a track they never played) and "Most played". Deterministic given `random`.
 */
export function buildListenerFeed(
  activity: ListenerActivity,
  catalog: FeedCatalog,
  options: { now: Date; random?: RandomSource },
): StoredFeed {
  const random = options.random ?? Math.random;
  const played = new Map<string, number>();
  for (const { trackId, plays } of activity.counts) if (plays > 0) played.set(trackId, (played.get(trackId) ?? 0) + plays);
  const since = options.now.getTime() - HEARD_RECENTLY_MS;
  const heardRecently = new Set(activity.recentPlays.filter((p) => Date.parse(p.startedAt) >= since).map((p) => p.trackId));

  const taste = tasteOf(played, activity.likes, catalog);
  const candidates = candidatesOf(taste, catalog, random).filter((t) => !heardRecently.has(t.id));
  const familiar = weightedSample(candidates, (t) => taste.score(t), random);
  const liked = new Set(activity.likes);
  const unplayed = (t: FeedTrack) => !played.has(t.id) && !liked.has(t.id) && !heardRecently.has(t.id);
  const forYou = interleave(familiar, (taken, count) => sampleCatalog(catalog, count, (t) => unplayed(t) && !taken.has(t.id), random));

  const mostPlayed = [...played.entries()]
    .filter(([id]) => catalog.byId.has(id))
    .sort(([a, pa], [b, pb]) => pb - pa || a.localeCompare(b))
    .slice(0, SECTION_SIZE)
    .map(([id]) => id);

  return {
    generatedAt: options.now.toISOString(),
    sections: nonEmpty([section('for-you', forYou), section('most-played', mostPlayed)]),
  };
}

/** The global feed: the shuffled mix (already ordered), the newest tracks and this week's most played. */
export function buildGlobalFeed(input: {
  mix: readonly string[];
  newest: readonly string[];
  popular: readonly string[];
  now: Date;
}): StoredFeed {
  return {
    generatedAt: input.now.toISOString(),
    sections: nonEmpty([
      section('for-you', input.mix.slice(0, FOR_YOU_SIZE)),
      section('new', input.newest.slice(0, SECTION_SIZE)),
      section('popular', input.popular.slice(0, SECTION_SIZE)),
    ]),
  };
}

/**
 * What `GET /home` lists, in `HOME_SECTION_IDS` order: the listener's own sections when the
 * schedule built them (else the global mix as "For you"), "Recently played" from `recent`, and
 * the global `new` and `popular`. Empty sections are left out.
 */
export function assembleSections(own: StoredFeed | undefined, global: StoredFeed | undefined, recent: readonly string[]): StoredSection[] {
  const pick = (feed: StoredFeed | undefined, id: StoredSection['id']) => feed?.sections.find((s) => s.id === id);
  return nonEmpty([
    pick(own, 'for-you') ?? pick(global, 'for-you'),
    section('recently-played', recent.slice(0, SECTION_SIZE)),
    pick(own, 'most-played'),
    pick(global, 'new'),
    pick(global, 'popular'),
  ]);
}

/** The last `limit` distinct tracks of plays listed newest first. */
export function distinctRecent(playsNewestFirst: readonly { trackId: string }[], limit = SECTION_SIZE): string[] {
  return [...new Set(playsNewestFirst.map((p) => p.trackId))].slice(0, limit);
}

/** Most played across all listeners: every day's counts summed, most plays first (ties by id), at most `limit`. */
export function weeklyPopularity(days: readonly (readonly { trackId: string; plays: number }[])[], limit = 2000) {
  const totals = new Map<string, number>();
  for (const day of days) for (const { trackId, plays } of day) totals.set(trackId, (totals.get(trackId) ?? 0) + plays);
  const ranked = [...totals.entries()].filter(([, plays]) => plays > 0).sort(([a, pa], [b, pb]) => pb - pa || a.localeCompare(b));
  const top = ranked.slice(0, limit);
  return { trackIds: top.map(([id]) => id), plays: top.map(([, plays]) => plays) };
}

/**
 * The catalog's newest tracks: latest arrival first; tracks that arrived together (the first
 * run sees the whole catalog at once) newest release year first, then by id.
 */
export function newestTracks(
  tracks: readonly { id: string; year?: number }[],
  arrivedAt: ReadonlyMap<string, string>,
  limit = SECTION_SIZE,
): string[] {
  const at = (id: string) => arrivedAt.get(id) ?? '';
  return [...tracks]
    .sort((a, b) => at(b.id).localeCompare(at(a.id)) || (b.year ?? 0) - (a.year ?? 0) || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((t) => t.id);
}

/** The UTC days (`YYYY-MM-DD`) of the week ending on `now`'s day, today first. */
export function lastUtcDays(now: Date, count = 7): string[] {
  return Array.from({ length: count }, (_, i) => new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10));
}

interface Taste {
  artists: Map<string, number>;
  albums: Map<string, number>;
  genres: Map<string, number>;
  score(track: FeedTrack): number;
}

/** How much of the listener's plays and likes went to each artist, album and genre. */
function tasteOf(played: ReadonlyMap<string, number>, likes: readonly string[], catalog: FeedCatalog): Taste {
  const artists = new Map<string, number>();
  const albums = new Map<string, number>();
  const genres = new Map<string, number>();
  let total = 0;
  const credit = (trackId: string, weight: number) => {
    const track = catalog.byId.get(trackId);
    if (!track) return; // left the catalog since
    total += weight;
    artists.set(track.artistId, (artists.get(track.artistId) ?? 0) + weight);
    albums.set(track.albumId, (albums.get(track.albumId) ?? 0) + weight);
    const genre = track.genre?.trim();
    if (genre) genres.set(genre, (genres.get(genre) ?? 0) + weight);
  };
  for (const [trackId, plays] of played) credit(trackId, plays);
  for (const trackId of likes) credit(trackId, LIKE_WEIGHT);
  // The same artist counts most, then the album, then the genre.
  const score = (t: FeedTrack) =>
    total === 0
      ? 0
      : (3 * (artists.get(t.artistId) ?? 0) + 2 * (albums.get(t.albumId) ?? 0) + (genres.get(t.genre?.trim() ?? '') ?? 0)) / total;
  return { artists, albums, genres, score };
}

/** Tracks by the listener's artists and albums, and a random window of each of their genres, once each. */
function candidatesOf(taste: Taste, catalog: FeedCatalog, random: RandomSource): FeedTrack[] {
  const seen = new Map<string, FeedTrack>();
  const addAll = (tracks: readonly FeedTrack[] | undefined) => {
    for (const t of tracks ?? []) seen.set(t.id, t);
  };
  for (const artistId of taste.artists.keys()) addAll(catalog.byArtist.get(artistId));
  for (const albumId of taste.albums.keys()) addAll(catalog.byAlbum.get(albumId));
  for (const genre of taste.genres.keys()) {
    const all = catalog.byGenre.get(genre) ?? [];
    if (all.length <= GENRE_WINDOW) addAll(all);
    else {
      const start = Math.floor(random() * all.length);
      addAll([...all.slice(start, start + GENRE_WINDOW), ...all.slice(0, Math.max(0, start + GENRE_WINDOW - all.length))]);
    }
  }
  return [...seen.values()];
}

/**
 * Weighted sampling without replacement (Efraimidis–Spirakis): each track's key is
 * `ln(u) / weight`; the largest keys win, so heavier tracks come first more often, and any track
 * with a weight can. Returns the tracks with a positive weight, in sampled order.
 */
function weightedSample(tracks: readonly FeedTrack[], weight: (t: FeedTrack) => number, random: RandomSource): FeedTrack[] {
  return tracks
    .map((track) => ({ track, w: weight(track) }))
    .filter(({ w }) => w > 0)
    .map(({ track, w }) => ({ track, key: Math.log(Math.max(random(), Number.MIN_VALUE)) / w }))
    .sort((a, b) => b.key - a.key)
    .map(({ track }) => track);
}

/** Up to `count` distinct catalog tracks drawn at random among those `allowed`. */
function sampleCatalog(catalog: FeedCatalog, count: number, allowed: (t: FeedTrack) => boolean, random: RandomSource): FeedTrack[] {
  const out = new Map<string, FeedTrack>();
  const all = catalog.tracks;
  // Rejection sampling stays cheap for a large catalog; a small or mostly played one may yield fewer.
  for (let attempt = 0; attempt < count * 50 && out.size < count && all.length; attempt++) {
    const track = all[Math.floor(random() * all.length)]!;
    if (allowed(track) && !out.has(track.id)) out.set(track.id, track);
  }
  return [...out.values()];
}

/**
 * "For you": familiar tracks, with a never-played one in every `DISCOVERY_EVERY`-th place. When
 * either kind runs out, the other fills its places.
 */
function interleave(familiar: readonly FeedTrack[], discover: (taken: ReadonlySet<string>, count: number) => FeedTrack[]): string[] {
  const lead = familiar.slice(0, FOR_YOU_SIZE).map((t) => t.id);
  const fresh = discover(new Set(lead), FOR_YOU_SIZE).map((t) => t.id);
  const out: string[] = [];
  let f = 0;
  let d = 0;
  while (out.length < FOR_YOU_SIZE && (f < lead.length || d < fresh.length)) {
    const discoverySlot = (out.length + 1) % DISCOVERY_EVERY === 0;
    if ((discoverySlot && d < fresh.length) || f >= lead.length) out.push(fresh[d++]!);
    else out.push(lead[f++]!);
  }
  return out;
}

const section = (id: StoredSection['id'], trackIds: string[]): StoredSection => ({ id, title: SECTION_TITLES[id], trackIds });

function nonEmpty(sections: (StoredSection | undefined)[]): StoredSection[] {
  return sections.filter((s): s is StoredSection => !!s && s.trackIds.length > 0);
}
