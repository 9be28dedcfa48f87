import type { Album, Artist, Track } from '@@/backend/domain/catalog';
import type { SearchKind } from '@@/backend/domain/search-ranking';
import { apiClient, type ApiClient } from './api-client';

/** Which field `GET /search` matches against. */
export type SearchField = 'all' | 'artist' | 'track' | 'album';

/** `GET /search` results, grouped by kind. */
export interface SearchResults {
  tracks: Track[];
  albums: Album[];
  artists: Artist[];
  /** The query in the catalog's words, when the best hits needed corrections. */
  didYouMean?: string;
  /** The hit to show above the groups (one of those in them). */
  top?: { kind: SearchKind; id: string };
}

/** One `GET /search/suggest` completion. */
export interface Suggestion {
  text: string;
  kind: SearchKind;
  id: string;
}

export interface SearchOptions {
  field?: SearchField;
  limit?: number;
  /** Aborts the request when a newer query supersedes it. */
  signal?: AbortSignal;
}

/** Searches the catalog through `GET /search` (API.md). */
export function createSearchService(api: ApiClient = apiClient()) {
  return {
    /** Tracks, albums and artists matching `q`; missing groups come back as empty lists. */
    async search(q: string, { field = 'all', limit = 20, signal }: SearchOptions = {}): Promise<SearchResults> {
      const { tracks = [], albums = [], artists = [], didYouMean, top } = await api.get<Partial<SearchResults>>('/search', { q, field, limit }, { signal });
      return { tracks, albums, artists, ...(didYouMean ? { didYouMean } : {}), ...(top ? { top } : {}) };
    },

    /** Completions for a partial query. */
    async suggest(q: string, { limit = 5, signal }: Omit<SearchOptions, 'field'> = {}): Promise<Suggestion[]> {
      const body = await api.get<{ suggestions?: Suggestion[] }>('/search/suggest', { q, limit }, { signal });
      return body.suggestions ?? [];
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
