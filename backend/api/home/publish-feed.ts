import type { PageRequest } from '../../domain/catalog';
import { buildGlobalFeed, FeedCatalog, lastUtcDays, newestTracks, weeklyPopularity, type FeedTrack } from '../../domain/home-feed';
import type { HomeRepository, ListeningActivityReader } from '../../domain/home-feed-ports';
import type { CatalogRepository } from '../../domain/ports';
import type { RandomSource } from '../../domain/rank';
import { HEAD_SIZE, shuffledMix } from '../../domain/shuffle';

/**
 * What publishing a feed needs: no media store and no routes, so the shuffle function bundles
 * neither an S3 client nor the home function's handlers.
 */
export interface ShuffleDeps {
  catalog: CatalogRepository;
  home: HomeRepository;
  /** Plays of all listeners for "Popular this week"; without it the popularity is left as it is. */
  listening?: Pick<ListeningActivityReader, 'dayPlays'>;
  now: () => Date;
  /** The shuffle's source of randomness; `Math.random` unless a test pins it. */
  random?: RandomSource;
}

/** What a published global feed leaves for the listeners' feeds built after it. */
export interface PublishedGlobalFeed {
  trackCount: number;
  generatedAt: string;
  catalog: FeedCatalog;
}

/**
 * Reads the whole catalog, records the tracks it had not seen before, sums the week's plays
 * into the `popular` item, and publishes the global feed (the shuffled mix, the newest tracks,
 * the most played) as one item.
 */
export async function publishShuffledFeed({ catalog, home, listening, now, random }: ShuffleDeps): Promise<PublishedGlobalFeed> {
  const startedAt = now();
  const tracks: (FeedTrack & { year?: number })[] = [];
  let page: PageRequest = { limit: 1000 };
  for (;;) {
    const result = await catalog.listTracks(page);
    for (const t of result.items) {
      tracks.push({
        id: t.id,
        artistId: t.artistId,
        albumId: t.albumId,
        ...(t.genre ? { genre: t.genre } : {}),
        ...(t.year ? { year: t.year } : {}),
      });
    }
    if (!result.cursor) break;
    page = { limit: 1000, cursor: result.cursor };
  }

  // The catalog keeps no import time: the schedule notes when it first saw each track. It runs
  // after every import, so that is the import's time give or take the run.
  const [arrivals, previous] = await Promise.all([home.arrivals(), home.current()]);
  const arrived = tracks.filter((t) => !arrivals.has(t.id)).map((t) => t.id);
  if (arrived.length) {
    await home.recordArrivals(arrived, startedAt.toISOString());
    for (const id of arrived) arrivals.set(id, startedAt.toISOString());
  }

  let popular = previous?.sections.find((s) => s.id === 'popular')?.trackIds ?? [];
  if (listening) {
    const days = await Promise.all(lastUtcDays(startedAt).map((day) => listening.dayPlays(day, startedAt)));
    const popularity = weeklyPopularity(days);
    await home.publishPopularity({ generatedAt: startedAt.toISOString(), ...popularity });
    popular = popularity.trackIds;
  }

  const inCatalog = new Set(tracks.map((t) => t.id));
  const previousHead = previous?.sections.find((s) => s.id === 'for-you')?.trackIds.slice(0, HEAD_SIZE) ?? [];
  const feed = buildGlobalFeed({
    mix: shuffledMix(
      tracks.map((t) => t.id),
      { previousHead, random },
    ),
    newest: newestTracks(tracks, arrivals),
    popular: popular.filter((id) => inCatalog.has(id)),
    now: startedAt,
  });
  await home.publish(feed);
  return { trackCount: tracks.length, generatedAt: feed.generatedAt, catalog: new FeedCatalog(tracks) };
}
