import type { PageRequest } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';
import type { RandomSource } from '../../domain/rank';
import { buildHomeFeed, type HomeRepository, type ShuffleCandidate } from '../../domain/shuffle';

/**
 * What publishing a feed needs: no media store and no routes, so the shuffle function bundles
 * neither an S3 client nor the home function's handlers.
 */
export interface ShuffleDeps {
  catalog: CatalogRepository;
  home: HomeRepository;
  now: () => Date;
  /** The shuffle's source of randomness; `Math.random` unless a test pins it. */
  random?: RandomSource;
}

/** Reads the whole catalog, shuffles it and publishes the new feed as one item. */
export async function publishShuffledFeed({ catalog, home, now, random }: ShuffleDeps) {
  const candidates: ShuffleCandidate[] = [];
  let page: PageRequest = { limit: 1000 };
  for (;;) {
    const result = await catalog.listTracks(page);
    candidates.push(...result.items.map((t) => ({ id: t.id, ...(t.genre ? { genre: t.genre } : {}) })));
    if (!result.cursor) break;
    page = { limit: 1000, cursor: result.cursor };
  }
  const feed = buildHomeFeed(candidates, { previous: await home.current(), now: now(), random });
  await home.publish(feed);
  return { trackCount: feed.trackIds.length, generatedAt: feed.generatedAt };
}
