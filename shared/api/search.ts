import type { Album, Artist, Track } from './catalog';

/** Which text `GET /search` matches the query against: everything, or one field. */
export type SearchField = 'all' | 'artist' | 'track' | 'album';
export const searchFields = ['all', 'artist', 'track', 'album'] as const satisfies readonly SearchField[];

/** Longest `q` accepted (after collapsing whitespace); longer input is almost certainly not typed by a person. */
export const MAX_QUERY_LENGTH = 200;
/** Hits per group of `GET /search` (`?limit=`): when absent, and at most. */
export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 50;
/** Completions of `GET /search/suggest` (`?limit=`): when absent, and at most. */
export const DEFAULT_SUGGEST_LIMIT = 8;
export const MAX_SUGGEST_LIMIT = 20;

/** What a hit or a suggestion is. */
export type SearchKind = 'track' | 'album' | 'artist';

/** The hit to show above the groups; it is also in its group. */
export interface TopHit {
  kind: SearchKind;
  id: string;
}

/** `GET /search`: hits grouped by kind, each group best first. */
export interface SearchResults {
  tracks: Track[];
  albums: Album[];
  artists: Artist[];
  /** Present while a later page has hits; send it back as `?cursor=`. */
  cursor?: string;
  /** First page only: the query in the catalog's words, when the best hits needed corrections. */
  didYouMean?: string;
  /** First page only: the artist or album the query names, else the best track. */
  top?: TopHit;
}

/** One type-ahead completion. */
export interface Suggestion {
  /** The name to put in the search box. */
  text: string;
  kind: SearchKind;
  id: string;
}

/** `GET /search/suggest`. */
export interface Suggestions {
  suggestions: Suggestion[];
}
