import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/support/random';
import {
  assembleSections,
  buildGlobalFeed,
  buildListenerFeed,
  DISCOVERY_EVERY,
  FeedCatalog,
  FOR_YOU_SIZE,
  hasActivity,
  lastUtcDays,
  newestTracks,
  weeklyPopularity,
  type FeedTrack,
  type ListenerActivity,
} from './home-feed';

const now = new Date('2025-06-10T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

/** Six artists of 30 tracks, two albums each; artists 0 and 1 play jazz, 2 and 3 rock, 4 and 5 folk. */
const tracks: FeedTrack[] = Array.from({ length: 180 }, (_, i) => {
  const artist = Math.floor(i / 30);
  return {
    id: `t${i}`,
    artistId: `ar${artist}`,
    albumId: `al${artist}-${(i % 30) % 2}`,
    genre: ['Jazz', 'Rock', 'Folk'][Math.floor(artist / 2)],
  };
});
const catalog = new FeedCatalog(tracks);
const byId = new Map(tracks.map((t) => [t.id, t]));

const activity = (counts: Record<string, number>, extra: Partial<ListenerActivity> = {}): ListenerActivity => ({
  counts: Object.entries(counts).map(([trackId, plays]) => ({ trackId, plays })),
  likes: [],
  recentPlays: [],
  ...extra,
});
const forYouOf = (a: ListenerActivity, seed = 1) =>
  buildListenerFeed(a, catalog, { now, random: seededRandom(seed) }).sections.find((s) => s.id === 'for-you')!.trackIds;
/** The places that are not kept for discoveries. */
const familiarSlots = (ids: string[]) => ids.filter((_, i) => (i + 1) % DISCOVERY_EVERY !== 0);
const discoverySlots = (ids: string[]) => ids.filter((_, i) => (i + 1) % DISCOVERY_EVERY === 0);

describe('a listener’s "For you"', () => {
  // One listens to the first jazz artist, the other to the first rock artist.
  const jazzFan = activity({ t0: 9, t1: 4, t2: 2 }, { likes: ['t3'] });
  const rockFan = activity({ t60: 7, t61: 5, t62: 1 });

  it('is built from what each listener plays: two listeners with different habits get different tracks', () => {
    const jazz = forYouOf(jazzFan);
    const rock = forYouOf(rockFan);
    expect(jazz).toHaveLength(FOR_YOU_SIZE);
    expect(rock).toHaveLength(FOR_YOU_SIZE);
    for (const id of familiarSlots(jazz)) expect(byId.get(id)!.genre).toBe('Jazz');
    for (const id of familiarSlots(rock)) expect(byId.get(id)!.genre).toBe('Rock');
    // The artist they play counts more than another of the same genre.
    const byArtist = (ids: string[], artistId: string) => familiarSlots(ids).filter((id) => byId.get(id)!.artistId === artistId).length;
    expect(byArtist(jazz, 'ar0')).toBeGreaterThan(byArtist(jazz, 'ar1'));
    expect(byArtist(rock, 'ar2')).toBeGreaterThan(byArtist(rock, 'ar3'));
  });

  it('leaves out what the listener heard in the last 24 hours, not what they heard before', () => {
    const listener = activity(
      { t0: 3, t1: 3 },
      {
        recentPlays: [
          { trackId: 't0', startedAt: hoursAgo(1) },
          { trackId: 't1', startedAt: hoursAgo(25) },
        ],
      },
    );
    const feeds = Array.from({ length: 20 }, (_, seed) => forYouOf(listener, seed));
    for (const ids of feeds) expect(ids).not.toContain('t0');
    expect(feeds.some((ids) => ids.includes('t1'))).toBe(true);
  });

  it('gives every fourth place to a track the listener never played, even when all they like is played already', () => {
    // Every folk track (artists 4 and 5) played: their familiar tracks are all known ones.
    const folkFan = activity(Object.fromEntries(tracks.slice(120).map((t) => [t.id, 2])));
    const ids = forYouOf(folkFan, 7);
    expect(ids).toHaveLength(FOR_YOU_SIZE);
    expect(new Set(ids).size).toBe(ids.length);
    expect(discoverySlots(ids)).toHaveLength(Math.floor(FOR_YOU_SIZE / DISCOVERY_EVERY));
    for (const id of discoverySlots(ids)) expect(byId.get(id)!.genre).not.toBe('Folk');
    for (const id of familiarSlots(ids)) expect(byId.get(id)!.genre).toBe('Folk');
  });

  it('is the same for the same random source, and differs for another', () => {
    expect(forYouOf(jazzFan, 3)).toEqual(forYouOf(jazzFan, 3));
    expect(forYouOf(jazzFan, 3)).not.toEqual(forYouOf(jazzFan, 4));
  });

  it('still fills its places when the listener played nearly everything', () => {
    const small = new FeedCatalog(tracks.slice(0, 6));
    const feed = buildListenerFeed(activity({ t0: 1, t1: 1, t2: 1, t3: 1, t4: 1 }), small, { now, random: seededRandom(1) });
    expect([...feed.sections[0]!.trackIds].sort()).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
  });
});

describe('"Most played"', () => {
  it('lists the listener’s top tracks by plays, at most 20, without tracks gone from the catalog', () => {
    const counts = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`t${i}`, i + 1]));
    const feed = buildListenerFeed(activity({ ...counts, gone: 99 }), catalog, { now, random: seededRandom(1) });
    const mostPlayed = feed.sections.find((s) => s.id === 'most-played')!;
    expect(mostPlayed.title).toBe('Most played');
    expect(mostPlayed.trackIds).toEqual(Array.from({ length: 20 }, (_, i) => `t${24 - i}`));
    expect(feed.sections.map((s) => s.id)).toEqual(['for-you', 'most-played']);
  });
});

describe('the global feed and what GET /home lists', () => {
  const global = buildGlobalFeed({ mix: tracks.map((t) => t.id), newest: ['t9', 't8'], popular: ['t5'], now });

  it('a new listener (no plays, no likes) gets the global mix as "For you", then "New" and "Popular"', () => {
    expect(hasActivity(activity({}))).toBe(false);
    expect(hasActivity(activity({ t0: 0 }, { likes: ['t1'] }))).toBe(true);
    const sections = assembleSections(undefined, global, []);
    expect(sections.map((s) => [s.id, s.title])).toEqual([
      ['for-you', 'For you'],
      ['new', 'New in the library'],
      ['popular', 'Popular this week'],
    ]);
    expect(sections[0]!.trackIds).toEqual(tracks.slice(0, FOR_YOU_SIZE).map((t) => t.id));
  });

  it('puts a listener’s own sections, recent plays and the global ones in the API’s order, leaving out empty ones', () => {
    const own = buildListenerFeed(activity({ t0: 2 }), catalog, { now, random: seededRandom(1) });
    const sections = assembleSections(own, global, ['t0', 't4']);
    expect(sections.map((s) => s.id)).toEqual(['for-you', 'recently-played', 'most-played', 'new', 'popular']);
    expect(sections[0]).toBe(own.sections[0]);
    expect(sections[1]!.trackIds).toEqual(['t0', 't4']);
    expect(assembleSections(undefined, buildGlobalFeed({ mix: [], newest: [], popular: [], now }), []).map((s) => s.id)).toEqual([]);
  });
});

describe('popularity and arrivals', () => {
  it('sums the days’ plays, most played first, ties by id', () => {
    const days = [
      [
        { trackId: 'b', plays: 2 },
        { trackId: 'a', plays: 1 },
      ],
      [
        { trackId: 'a', plays: 1 },
        { trackId: 'c', plays: 5 },
      ],
    ];
    expect(weeklyPopularity(days)).toEqual({ trackIds: ['c', 'a', 'b'], plays: [5, 2, 2] });
    expect(weeklyPopularity(days, 1)).toEqual({ trackIds: ['c'], plays: [5] });
  });

  it('reads the last 7 UTC days, today first', () => {
    expect(lastUtcDays(new Date('2025-03-02T01:00:00Z'))).toEqual([
      '2025-03-02',
      '2025-03-01',
      '2025-02-28',
      '2025-02-27',
      '2025-02-26',
      '2025-02-25',
      '2025-02-24',
    ]);
  });

  it('lists the latest arrivals first, and among tracks that arrived together the newest releases', () => {
    const arrived = new Map([
      ['old', '2025-01-01T00:00:00.000Z'],
      ['a', '2025-01-01T00:00:00.000Z'],
      ['fresh', '2025-02-01T00:00:00.000Z'],
    ]);
    const list = [{ id: 'old', year: 1970 }, { id: 'a', year: 2020 }, { id: 'fresh' }];
    expect(newestTracks(list, arrived)).toEqual(['fresh', 'a', 'old']);
  });
});
