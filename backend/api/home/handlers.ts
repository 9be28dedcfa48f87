import type { HomeFeed } from '../../../shared/api';
import { assembleSections, distinctRecent, SECTION_SIZE } from '../../domain/home-feed';
import type { HomeRepository, ListeningActivityReader } from '../../domain/home-feed-ports';
import type { CatalogRepository, MediaUrlSigner } from '../../domain/ports';
import { ok, userIdOf, type RouteHandler } from '../http';
import { keySigner, presentTrack } from '../presenters';

/** Plays read for "Recently played": enough for `SECTION_SIZE` distinct tracks when some were played twice. */
const RECENT_PLAYS_READ = SECTION_SIZE * 3;

export interface HomeDeps {
  catalog: CatalogRepository;
  home: Pick<HomeRepository, 'current' | 'listenerFeed'>;
  listening: Pick<ListeningActivityReader, 'latestPlays'>;
  media: MediaUrlSigner;
  urlTtlSeconds: number;
}

/** Route handlers of the home function. */
export function homeRoutes({ catalog, home, listening, media, urlTtlSeconds }: HomeDeps): Record<string, RouteHandler> {
  return {
    'GET /home': async (event) => {
      const userId = userIdOf(event);
      // "Recently played" is read live, so a play shows at once; the rest waits for the schedule.
      const [own, global, plays] = await Promise.all([
        home.listenerFeed(userId),
        home.current(),
        listening.latestPlays(userId, RECENT_PLAYS_READ),
      ]);
      const generatedAt = own?.generatedAt ?? global?.generatedAt ?? null;
      const sections = assembleSections(own, global, distinctRecent(plays));
      if (!generatedAt && !sections.length) return ok({ generatedAt: null, tracks: [], sections: [] } satisfies HomeFeed);

      const records = await catalog.getTracks([...new Set(sections.flatMap((s) => s.trackIds))]);
      const sign = keySigner(media, urlTtlSeconds);
      const byId = new Map(await Promise.all(records.map(async (r) => [r.id, await presentTrack(r, sign)] as const)));
      // Tracks removed from the catalog since the feed was built are left out, and so is a section left empty.
      const resolved = sections
        .map((s) => ({ id: s.id, title: s.title, tracks: s.trackIds.flatMap((id) => byId.get(id) ?? []) }))
        .filter((s) => s.tracks.length > 0);
      return ok({ generatedAt, tracks: resolved[0]?.tracks ?? [], sections: resolved } satisfies HomeFeed);
    },
  };
}
