import type { HomeFeed } from '../../../shared/api';
import type { CatalogRepository, MediaUrlSigner } from '../../domain/ports';
import type { HomeRepository } from '../../domain/shuffle';
import { ok, userIdOf, type RouteHandler } from '../http';
import { keySigner, presentTrack } from '../presenters';

/** How many of the feed's tracks `GET /home` returns; the popup never shows more at once. */
const HOME_TRACKS = 100;

export interface HomeDeps {
  catalog: CatalogRepository;
  home: HomeRepository;
  media: MediaUrlSigner;
  urlTtlSeconds: number;
  now: () => Date;
  random?: () => number;
}

/** Route handlers of the home function. */
export function homeRoutes({ catalog, home, media, urlTtlSeconds }: HomeDeps): Record<string, RouteHandler> {
  return {
    'GET /home': async (event) => {
      userIdOf(event);
      const feed = await home.current();
      if (!feed) return ok({ generatedAt: null, tracks: [], sections: [] } satisfies HomeFeed);

      const lead = feed.trackIds.slice(0, HOME_TRACKS);
      const wanted = [...new Set([...lead, ...feed.sections.flatMap((s) => s.trackIds)])];
      const records = await catalog.getTracks(wanted);
      const sign = keySigner(media, urlTtlSeconds);
      const byId = new Map(await Promise.all(records.map(async (r) => [r.id, await presentTrack(r, sign)] as const)));
      // Tracks removed from the catalog since the shuffle are left out.
      const resolve = (ids: string[]) => ids.flatMap((id) => byId.get(id) ?? []);
      return ok({
        generatedAt: feed.generatedAt,
        tracks: resolve(lead),
        sections: feed.sections.map((s) => ({ id: 'for-you' as const, title: s.title, tracks: resolve(s.trackIds) })),
      } satisfies HomeFeed);
    },
  };
}
