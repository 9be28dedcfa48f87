import MiniSearch, { type SearchResult } from 'minisearch';
import type { IndexedTrack, SearchQuery, SearchResults, Suggestion, SuggestionKind } from '../../../domain/search';
import { foldName, nameMatch as exactness, queryTerms } from '../../../domain/search-text';
import { CatalogAggregates } from './catalog-aggregates';
import { boostsFor, indexOptions, searchOptions, type IndexKind, type TextDoc } from './index-options';

/**
 * What a snapshot holds: just the tracks. Re-indexing them on load is faster than MiniSearch's
 * own `loadJS` (measured on 100,000 tracks) and keeps the object less than half the size.
 */
export interface IndexSnapshot {
  format: 1;
  tracks: IndexedTrack[];
}

/** Only the best hits by text score are re-ranked for exact matches; the rest cannot reach page one. */
const RERANK_WINDOW = 200;
const suggestionWeight: Record<SuggestionKind, number> = { artist: 3, album: 2, track: 1 };

/**
 * The whole catalog search in memory: one MiniSearch index per kind (tracks, albums, artists)
 * plus the records to answer with. Ranking is MiniSearch's BM25 with field boosts, then names
 * that equal the query come first, then names that start with it.
 */
export class CatalogIndex {
  private readonly tracks = new Map<string, IndexedTrack>();
  private readonly aggregates = new CatalogAggregates(this.tracks);
  private readonly text: Record<IndexKind, MiniSearch<TextDoc>>;

  private constructor() {
    this.text = {
      tracks: new MiniSearch(indexOptions('tracks')),
      albums: new MiniSearch(indexOptions('albums')),
      artists: new MiniSearch(indexOptions('artists')),
    };
  }

  static empty(): CatalogIndex {
    return new CatalogIndex();
  }

  static fromSnapshot(snapshot: IndexSnapshot): CatalogIndex {
    if (snapshot.format !== 1) throw new Error(`unsupported search snapshot format ${String(snapshot.format)}`);
    const index = new CatalogIndex();
    index.upsert(snapshot.tracks);
    return index;
  }

  get size(): number {
    return this.tracks.size;
  }

  toSnapshot(): IndexSnapshot {
    return { format: 1, tracks: [...this.tracks.values()] };
  }

  upsert(tracks: readonly IndexedTrack[]): void {
    const albums = new Set<string>();
    const artists = new Set<string>();
    for (const track of tracks) {
      const old = this.tracks.get(track.id);
      if (old) this.forget(old, albums, artists);
      this.tracks.set(track.id, track);
      this.aggregates.add(track);
      this.text.tracks.add({ id: track.id, title: track.title, artist: track.artist, album: track.album });
      albums.add(track.albumId);
      artists.add(track.artistId);
    }
    this.reindexGroups(albums, artists);
  }

  remove(trackIds: readonly string[]): void {
    const albums = new Set<string>();
    const artists = new Set<string>();
    for (const id of trackIds) {
      const old = this.tracks.get(id);
      if (old) this.forget(old, albums, artists);
    }
    this.reindexGroups(albums, artists);
  }

  search(query: SearchQuery): SearchResults {
    const end = query.offset + query.limit;
    const page = <T>(kind: IndexKind, get: (id: string) => T | undefined, name: (item: T) => string[]) => {
      const boost = boostsFor(query.field, kind);
      if (!boost) return { items: [] as T[], more: false };
      const ranked = this.rank(kind, query.text, boost, get, name, end + 1);
      return { items: ranked.slice(query.offset, end), more: ranked.length > end };
    };
    const tracks = page('tracks', (id) => this.tracks.get(id), (t) => namesFor(query.field, [t.title, t.artist], [t.album]));
    const albums = page('albums', (id) => this.aggregates.albums.get(id)?.album, (a) => [a.name, a.artist]);
    const artists = page('artists', (id) => this.aggregates.artists.get(id)?.artist, (a) => [a.name]);
    return { tracks: tracks.items, albums: albums.items, artists: artists.items, more: tracks.more || albums.more || artists.more };
  }

  suggest(text: string, limit: number): Suggestion[] {
    const scored: (Suggestion & { score: number })[] = [];
    const collect = (kind: SuggestionKind, index: IndexKind, field: keyof TextDoc, nameOf: (id: string) => string | undefined) => {
      for (const hit of this.text[index].search(queryTerms(text).join(' '), searchOptions({ [field]: 1 })).slice(0, limit)) {
        const name = nameOf(hit.id as string);
        if (name !== undefined) scored.push({ text: name, kind, id: hit.id as string, score: (hit.score + exactness(name, text)) * suggestionWeight[kind] });
      }
    };
    collect('artist', 'artists', 'artist', (id) => this.aggregates.artists.get(id)?.artist.name);
    collect('album', 'albums', 'album', (id) => this.aggregates.albums.get(id)?.album.name);
    collect('track', 'tracks', 'title', (id) => this.tracks.get(id)?.title);
    const seen = new Set<string>();
    return scored
      .sort((a, b) => b.score - a.score)
      .filter((s) => !seen.has(`${s.kind}\u0000${foldName(s.text)}`) && seen.add(`${s.kind}\u0000${foldName(s.text)}`))
      .slice(0, limit)
      .map(({ text: name, kind, id }) => ({ text: name, kind, id }));
  }

  private rank<T>(kind: IndexKind, text: string, boost: Partial<Record<keyof TextDoc, number>>, get: (id: string) => T | undefined, names: (item: T) => string[], want: number): T[] {
    const terms = queryTerms(text);
    if (terms.length === 0) return [];
    const hits: SearchResult[] = this.text[kind].search(terms.join(' '), searchOptions(boost));
    const window = hits.slice(0, Math.max(RERANK_WINDOW, want));
    const ranked = window.flatMap((hit) => {
      const item = get(hit.id as string);
      return item === undefined ? [] : [{ item, tier: Math.max(...names(item).map((name) => exactness(name, text))), score: hit.score }];
    });
    ranked.sort((a, b) => b.tier - a.tier || b.score - a.score);
    return ranked.slice(0, want).map((r) => r.item);
  }

  private forget(track: IndexedTrack, albums: Set<string>, artists: Set<string>): void {
    this.tracks.delete(track.id);
    this.text.tracks.discard(track.id);
    this.aggregates.remove(track);
    albums.add(track.albumId);
    artists.add(track.artistId);
  }

  /** Re-indexes the names of albums and artists whose tracks changed; drops those left empty. */
  private reindexGroups(albumIds: Iterable<string>, artistIds: Iterable<string>): void {
    for (const id of albumIds) {
      if (this.text.albums.has(id)) this.text.albums.discard(id);
      const entry = this.aggregates.albums.get(id);
      if (entry) this.text.albums.add({ id, album: entry.album.name, artist: entry.album.artist });
    }
    for (const id of artistIds) {
      if (this.text.artists.has(id)) this.text.artists.discard(id);
      const entry = this.aggregates.artists.get(id);
      if (entry) this.text.artists.add({ id, artist: entry.artist.name });
    }
  }
}

/** The names of a track that count for "exact match" ranking under a field filter. */
function namesFor(field: SearchQuery['field'], primary: string[], album: string[]): string[] {
  if (field === 'track') return primary.slice(0, 1);
  if (field === 'artist') return primary.slice(1, 2);
  if (field === 'album') return album;
  return primary;
}
