import type { SearchField, SearchResults, Suggestion, Suggestions } from '@@/shared/api';
import { apiClient, type ApiClient } from './api-client';

export interface SearchOptions {
  field?: SearchField;
  limit?: number;
  /** Aborts the request when a newer query supersedes it. */
  signal?: AbortSignal;
}

/** Searches the catalog through `GET /search` (API.md). */
export function createSearchService(api: ApiClient = apiClient()) {
  return {
    /** Tracks, albums and artists matching `q` (the first page); missing groups come back as empty lists. */
    async search(q: string, { field = 'all', limit = 20, signal }: SearchOptions = {}): Promise<SearchResults> {
      const {
        tracks = [],
        albums = [],
        artists = [],
        didYouMean,
        top,
      } = await api.get<Partial<SearchResults>>('/search', { q, field, limit }, { signal });
      return { tracks, albums, artists, ...(didYouMean ? { didYouMean } : {}), ...(top ? { top } : {}) };
    },

    /** Completions for a partial query. */
    async suggest(q: string, { limit = 5, signal }: Omit<SearchOptions, 'field'> = {}): Promise<Suggestion[]> {
      const body = await api.get<Partial<Suggestions>>('/search/suggest', { q, limit }, { signal });
      return body.suggestions ?? [];
    },
  };
}
