import { noHits, type IndexedTrack, type SearchHits, type SearchQuery, type Suggestion } from '../../../domain/search';
import {
  compareMatches,
  nameFields,
  parseSearchQuery,
  searchedFields,
  searchGuidance,
  type BestHit,
  type QueryTerm,
  type SearchKind,
} from '../../../domain/search-ranking';
import { CatalogTables } from './catalog-tables';
import { EditableCatalog } from './editable-catalog';
import { decodeSnapshot, encodeSnapshot, type IndexSnapshot } from './snapshot-format';
import { TextIndex, type KindQuery, type RankedKind, type RankedRow } from './text-index';

export type { IndexSnapshot } from './snapshot-format';

const kinds: SearchKind[] = ['track', 'album', 'artist'];

/** Type-ahead looks at names only: artists, then albums, then titles on equal matches. */
const suggestionSources: KindQuery[] = [
  { kind: 'artist', fields: { artist: 1 }, names: ['artist'] },
  { kind: 'album', fields: { album: 1 }, names: ['album'] },
  { kind: 'track', fields: { title: 1 }, names: ['title'] },
];

/**
 * The whole catalog search in memory, typo tolerant: tracks, albums and artists as columns
 * (loaded from a snapshot as they are), an inverted index over their words, and the domain's
 * ranking (search-ranking.ts). A writer's changes go to an editable copy; the columns and the
 * index are rebuilt from it when next searched or published.
 */
export class CatalogIndex {
  private editable: EditableCatalog | undefined;
  private tables: CatalogTables | undefined;
  private text: TextIndex | undefined;

  private constructor() {}

  static empty(): CatalogIndex {
    const index = new CatalogIndex();
    index.editable = new EditableCatalog();
    return index;
  }

  /** The index of a parsed snapshot, checked first: a damaged one throws a "search snapshot: …" error. */
  static fromSnapshot(snapshot: IndexSnapshot): CatalogIndex {
    const decoded = decodeSnapshot(snapshot);
    if ('tracks' in decoded) {
      const index = CatalogIndex.empty();
      index.upsert(decoded.tracks);
      return index;
    }
    const index = new CatalogIndex();
    index.tables = new CatalogTables(decoded.columns);
    return index;
  }

  get size(): number {
    return this.editable?.tracks.size ?? this.tables!.trackCount;
  }

  toSnapshot(): IndexSnapshot {
    return encodeSnapshot(this.current().columns);
  }

  upsert(tracks: readonly IndexedTrack[]): void {
    if (tracks.length > 0) this.edit().upsert(tracks);
  }

  remove(trackIds: readonly string[]): void {
    if (trackIds.length > 0) this.edit().remove(trackIds);
  }

  search(query: SearchQuery): SearchHits {
    const terms = parseSearchQuery(query.text);
    if (terms.length === 0) return noHits();
    const tables = this.current();
    const index = this.index();
    const expansions = index.expand(terms);
    const end = query.offset + query.limit;
    const ranked: Partial<Record<SearchKind, RankedKind>> = {};
    for (const kind of kinds) {
      const fields = searchedFields(query.field, kind);
      if (fields)
        ranked[kind] = index.rank({ kind, fields, names: nameFields(query.field, kind) }, terms, expansions, end + 1, query.plays);
    }
    // Across kinds too, only the best-covered hits show: a kind matching fewer query words than another shows nothing.
    const coverage = Math.max(0, ...kinds.map((kind) => ranked[kind]?.coverage ?? 0));
    for (const kind of kinds) if (ranked[kind] && ranked[kind].coverage < coverage) delete ranked[kind];
    const page = (kind: SearchKind) => ranked[kind]?.rows.slice(query.offset, end).map((hit) => hit.row) ?? [];
    const results: SearchHits = {
      tracks: page('track').map((row) => tables.track(row)),
      albums: page('album').map((row) => tables.album(row)),
      artists: page('artist').map((row) => tables.artist(row)),
      more: kinds.some((kind) => (ranked[kind]?.total ?? 0) > end),
    };
    return query.offset === 0 ? { ...results, ...this.guidance(query, terms, ranked) } : results;
  }

  suggest(text: string, limit: number): Suggestion[] {
    const terms = parseSearchQuery(text);
    if (terms.length === 0 || limit <= 0) return [];
    const tables = this.current();
    const index = this.index();
    const expansions = index.expand(terms);
    const picks: { source: number; hit: RankedRow }[] = [];
    for (const [source, query] of suggestionSources.entries()) {
      // Twice the limit: titles repeat ("Intro"), and repeats are shown once.
      for (const hit of index.rank(query, terms, expansions, limit * 2).rows) {
        if (hit.match.coverage === terms.length) picks.push({ source, hit });
      }
    }
    picks.sort(
      (a, b) =>
        a.hit.match.edits - b.hit.match.edits || b.hit.match.tier - a.hit.match.tier || a.source - b.source || compareMatches(a.hit, b.hit),
    );
    const seen = new Set<string>();
    const suggestions: Suggestion[] = [];
    for (const { source, hit } of picks) {
      const { kind, names } = suggestionSources[source]!;
      const name = tables.fieldTexts(kind, names[0]!)![hit.row]!;
      const key = `${kind}\u0000${tables.wordsOf(name).join(' ')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      suggestions.push({ text: tables.text(name), kind, id: hit.id });
      if (suggestions.length === limit) break;
    }
    return suggestions;
  }

  /** The first page's extras, from each kind's best hit: the hit to show on top, and the query as the catalog spells it when it needed help. */
  private guidance(query: SearchQuery, terms: readonly QueryTerm[], ranked: Partial<Record<SearchKind, RankedKind>>) {
    const tables = this.current();
    const best: Partial<Record<SearchKind, BestHit>> = {};
    for (const kind of kinds) {
      const first = ranked[kind]?.rows[0];
      if (!first) continue;
      const names = nameFields(query.field, kind).map((field) => tables.text(tables.fieldTexts(kind, field)![first.row]!));
      best[kind] = { ...first, names };
    }
    return searchGuidance(terms, best);
  }

  private current(): CatalogTables {
    this.tables ??= this.editable!.build();
    return this.tables;
  }

  private index(): TextIndex {
    this.text ??= new TextIndex(this.current());
    return this.text;
  }

  /** The editable copy, made on the first change after a load; the built columns are stale from now on. */
  private edit(): EditableCatalog {
    this.editable ??= EditableCatalog.from(this.tables!);
    this.tables = undefined;
    this.text = undefined;
    return this.editable;
  }
}
