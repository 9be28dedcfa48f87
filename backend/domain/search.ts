import type { Album, Artist, TrackRecord } from './catalog';

/** Which text a query is matched against: everything, or one field (API.md `field`). */
export type SearchField = 'all' | 'artist' | 'track' | 'album';
export const searchFields = ['all', 'artist', 'track', 'album'] as const satisfies readonly SearchField[];

/** What the index keeps of a track: the public fields plus the cover key (no audio details). */
export type IndexedTrack = Omit<TrackRecord, 'audioKey' | 'contentType' | 'contentHash'>;

/** An album as search returns it; the cover key is signed by the presenter. */
export type IndexedAlbum = Album & { coverKey?: string };

export interface SearchQuery {
  /** The user's text, already checked by `checkQueryText`. */
  text: string;
  field: SearchField;
  /** Most hits per group (tracks, albums, artists). */
  limit: number;
  /** Hits to skip per group (from the opaque cursor). */
  offset: number;
}

/** Hits grouped by what matched, best first; `more` is true when a later page has hits. */
export interface SearchResults {
  tracks: IndexedTrack[];
  albums: IndexedAlbum[];
  artists: Artist[];
  more: boolean;
}

export type SuggestionKind = 'artist' | 'album' | 'track';

/** One type-ahead entry (API.md `suggestions`). */
export interface Suggestion {
  text: string;
  kind: SuggestionKind;
  id: string;
}

/**
 * The catalog search index. Adapters: embedded (MiniSearch, snapshot in S3) and CloudSearch.
 * Writes replace whole tracks; albums and artists are derived from their tracks.
 */
export interface TrackSearch {
  /** Adds or replaces tracks, and the albums and artists they belong to. */
  upsert(tracks: readonly IndexedTrack[]): Promise<void>;
  /** Drops tracks by id; unknown ids are ignored. */
  remove(trackIds: readonly string[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResults>;
  suggest(text: string, limit: number): Promise<Suggestion[]>;
}

/** The index's view of a catalog record. */
export function toIndexedTrack(record: TrackRecord): IndexedTrack {
  const { audioKey: _audio, contentType: _type, contentHash: _hash, ...indexed } = record;
  return indexed;
}

export const emptyResults = (): SearchResults => ({ tracks: [], albums: [], artists: [], more: false });
