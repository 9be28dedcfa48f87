import type { Album, Artist, Track } from '@/backend/domain/catalog';
import { apiClient, type ApiClient } from './api-client';

/** Which field `GET /search` matches against. */
export type SearchField = 'all' | 'artist' | 'track' | 'album';

/** `GET /search` results, grouped by kind. */
export interface SearchResults {
  tracks: Track[];
  albums: Album[];
  artists: Artist[];
}

/** One `GET /search/suggest` completion. */
export interface Suggestion {
  text: string;
  kind: string;
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
      const body = await api.get<Partial<SearchResults>>('/search', { q, field, limit }, { signal });
      return { tracks: body.tracks ?? [], albums: body.albums ?? [], artists: body.artists ?? [] };
    },

    /** Completions for a partial query. */
    async suggest(q: string, { limit = 5, signal }: Omit<SearchOptions, 'field'> = {}): Promise<Suggestion[]> {
      const body = await api.get<{ suggestions?: Suggestion[] }>('/search/suggest', { q, limit }, { signal });
      return body.suggestions ?? [];
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
