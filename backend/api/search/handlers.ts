import type { SearchResults, Suggestions } from '../../../shared/api';
import { searchQuerySchema, suggestQuerySchema } from '../../../shared/api/requests';
import type { MediaUrlSigner } from '../../domain/ports';
import type { TrackPlays, TrackSearch } from '../../domain/search';
import { ok, parse, userIdOf, type RouteHandler } from '../http';
import { keySigner, presentAlbums } from '../presenters';
import { presentSearchTracks } from './presenters';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';

export interface SearchDeps {
  search: TrackSearch;
  /** The weekly plays that rank equal hits (cached); undefined until published. */
  plays: () => Promise<TrackPlays | undefined>;
  media: MediaUrlSigner;
  urlTtlSeconds: number;
}

/** Route handlers of the search function: grouped search and type-ahead suggestions. */
export function searchRoutes({ search, plays, media, urlTtlSeconds }: SearchDeps): Record<string, RouteHandler> {
  return {
    'GET /search': async (event) => {
      userIdOf(event);
      const query = parse(searchQuerySchema, event.queryStringParameters ?? {});
      const offset = decodeSearchCursor(query.cursor);
      if (!query.q) return ok({ tracks: [], albums: [], artists: [] } satisfies SearchResults);
      const results = await search.search({ text: query.q, field: query.field, limit: query.limit, offset, plays: await plays() });
      const sign = keySigner(media, urlTtlSeconds);
      return ok({
        tracks: await presentSearchTracks(results.tracks, sign),
        albums: await presentAlbums(results.albums, sign),
        artists: results.artists,
        ...(results.more ? { cursor: encodeSearchCursor(offset + query.limit) } : {}),
        // Undefined after the first page, and then left out of the JSON.
        didYouMean: results.didYouMean,
        top: results.top && { kind: results.top.kind, id: results.top.id },
      } satisfies SearchResults);
    },

    'GET /search/suggest': async (event) => {
      userIdOf(event);
      const query = parse(suggestQuerySchema, event.queryStringParameters ?? {});
      return ok({ suggestions: query.q ? await search.suggest(query.q, query.limit) : [] } satisfies Suggestions);
    },
  };
}
