import type { SearchField, Suggestion, TopHit } from '../../shared/api';
import type { Album, Artist, TrackRecord } from './catalog';

// What a query names and what type-ahead answers are the API's.
export type { SearchField, Suggestion } from '../../shared/api';

/**
 * What the index keeps of a track: the public fields plus the cover key (no audio details), and
 * how often listeners played it, which ranks it among equal matches (absent until plays are recorded).
 */
export type IndexedTrack = Omit<TrackRecord, 'audioKey' | 'contentType' | 'contentHash'> & { playCount?: number };

/** An album as search returns it; the cover key is signed by the presenter. */
export type IndexedAlbum = Album & { coverKey?: string };

export interface SearchQuery {
  /** The user's text as the request schema left it: trimmed, whitespace collapsed, at most 200 characters. */
  text: string;
  field: SearchField;
  /** Most hits per group (tracks, albums, artists). */
  limit: number;
  /** Hits to skip per group (from the opaque cursor). */
  offset: number;
  /** Weekly plays that rank equal track hits, most played first; without them, the index's own `playCount`. */
  plays?: TrackPlays;
}

/**
 * How often each track was played in the last week, as the home feed's schedule last published
 * it (`TrackPlaysSource`). A track it does not list counts as not played.
 */
export interface TrackPlays {
  generatedAt: string;
  byTrack: ReadonlyMap<string, number>;
}

/** Where the weekly plays are published; undefined until they first are. */
export interface TrackPlaysSource {
  current(): Promise<TrackPlays | undefined>;
}

/**
 * Hits grouped by what matched, best first; `more` is true when a later page has hits. The search
 * handler turns them into the API's `SearchResults` (presigned covers, a cursor).
 */
export interface SearchHits {
  tracks: IndexedTrack[];
  albums: IndexedAlbum[];
  artists: Artist[];
  more: boolean;
  /** First page only: the query in the catalog's words when the best hits needed corrections. */
  didYouMean?: string;
  /** First page only: the hit to show above the groups (the artist or album the query names, else the best track). */
  top?: TopHit;
}

/**
 * The catalog search index. Adapters: embedded (our own in-memory engine, snapshots in S3) and CloudSearch.
 * Writes replace whole tracks; albums and artists are derived from their tracks.
 */
export interface TrackSearch {
  /** Adds or replaces tracks, and the albums and artists they belong to. */
  upsert(tracks: readonly IndexedTrack[]): Promise<void>;
  /** Drops tracks by id; unknown ids are ignored. */
  remove(trackIds: readonly string[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchHits>;
  suggest(text: string, limit: number): Promise<Suggestion[]>;
}

/** The index's view of a catalog record. */
export function toIndexedTrack(record: TrackRecord): IndexedTrack {
  const { audioKey: _audio, contentType: _type, contentHash: _hash, ...indexed } = record;
  return indexed;
}

export const noHits = (): SearchHits => ({ tracks: [], albums: [], artists: [], more: false });
