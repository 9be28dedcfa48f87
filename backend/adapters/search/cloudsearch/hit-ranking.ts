import type { Hit } from '@aws-sdk/client-cloudsearch-domain';
import type { Artist } from '../../../domain/catalog';
import type { IndexedAlbum, IndexedTrack, SearchField, TrackPlays } from '../../../domain/search';
import {
  matchCandidate,
  nameFields,
  rankCandidates,
  searchedFields,
  type BestHit,
  type Candidate,
  type QueryTerm,
  type RankedItem,
  type SearchKind,
  type TextField,
} from '../../../domain/search-ranking';
import { searchTerms } from '../../../domain/search-text';
import { recordOf } from './documents';

export type HitRecord = IndexedTrack | IndexedAlbum | Artist;

/**
 * How many of CloudSearch's first hits per kind the shared ranking reorders. The window is the
 * same for every page, so a page never repeats or skips a hit of another page; beyond it hits
 * keep CloudSearch's order.
 */
export const RANK_WINDOW = 100;

/** What one request for a kind brought back: its first hits in CloudSearch's order, and how many matched in all. */
export interface HitWindow {
  hits: readonly Hit[];
  found: number;
}

/** A kind's hits in page order; `more` when hits beyond `end` exist. */
export interface RankedHits {
  kind: SearchKind;
  ranked: RankedItem<HitRecord>[];
  more: boolean;
}

/** The texts of a record, under the names of the fields they were indexed in. */
function textsOf(kind: SearchKind, record: HitRecord): Partial<Record<TextField, string>> {
  if (kind === 'track') {
    const track = record as IndexedTrack;
    return { title: track.title, artist: track.artist, album: track.album };
  }
  if (kind === 'album') {
    const album = record as IndexedAlbum;
    return { album: album.name, artist: album.artist };
  }
  return { artist: (record as Artist).name };
}

/** A track's weekly plays when published (0 when unlisted), else its indexed count; albums and artists rank without. */
function popularityOf(kind: SearchKind, record: HitRecord, plays: TrackPlays | undefined): number {
  if (kind !== 'track') return 0;
  return plays ? (plays.byTrack.get(record.id) ?? 0) : ((record as IndexedTrack).playCount ?? 0);
}

function candidateOf(field: SearchField, kind: SearchKind, record: HitRecord, plays: TrackPlays | undefined): Candidate {
  const texts = textsOf(kind, record);
  const names = nameFields(field, kind);
  return {
    id: record.id,
    fields: Object.entries(searchedFields(field, kind) ?? {}).map(([name, weight]) => ({
      words: searchTerms(texts[name as TextField] ?? ''),
      weight,
    })),
    names: names.map((name) => searchTerms(texts[name] ?? '')),
    popularity: popularityOf(kind, record, plays),
    nameLength: (texts[names[0]!] ?? '').length,
  };
}

/**
 * A kind's hits in page order. The first `RANK_WINDOW` hits are ordered by the shared ranking
 * and, as the embedded adapter does, only those matching the most query words stay; later hits
 * keep CloudSearch's order and stay when they match as many words. `end` is where the page
 * ends: fetch at least `end + 1` hits to know whether another page follows.
 */
export function rankHits(
  terms: readonly QueryTerm[],
  field: SearchField,
  kind: SearchKind,
  window: HitWindow,
  end: number,
  plays?: TrackPlays,
): RankedHits {
  const records = window.hits.flatMap((hit) => {
    const record = recordOf<HitRecord>(hit.fields);
    return record ? [record] : [];
  });
  const describe = (record: HitRecord) => candidateOf(field, kind, record, plays);
  const head = rankCandidates(terms, records.slice(0, RANK_WINDOW), describe);
  const coverage = head[0]?.match.coverage ?? 0;
  const tail = records.slice(RANK_WINDOW).flatMap((record) => {
    const candidate = describe(record);
    const match = matchCandidate(terms, candidate);
    if (!match || match.coverage < coverage) return [];
    return [{ item: record, id: candidate.id, match, popularity: candidate.popularity ?? 0, nameLength: candidate.nameLength }];
  });
  const ranked = [...head, ...tail];
  // Hits not fetched may follow; when fetched ones were dropped, later ones (scored lower) would be too.
  const more = ranked.length > end || (ranked.length === records.length && window.found > records.length);
  return { kind, ranked, more };
}

/**
 * Only the kinds whose best hit matches the most query words show hits: when tracks match
 * every word, albums matching one of them by a typo are left out.
 */
export function bestCoverageOnly(kinds: readonly RankedHits[]): RankedHits[] {
  const coverage = (hits: RankedHits) => hits.ranked[0]?.match.coverage ?? 0;
  const most = Math.max(0, ...kinds.map(coverage));
  return kinds.map((hits) => (most > 0 && coverage(hits) === most ? hits : { kind: hits.kind, ranked: [], more: false }));
}

/** Each kind's first hit with the names it is shown with, for `searchGuidance`. */
export function bestHits(field: SearchField, kinds: readonly RankedHits[]): Partial<Record<SearchKind, BestHit>> {
  const best: Partial<Record<SearchKind, BestHit>> = {};
  for (const { kind, ranked } of kinds) {
    const first = ranked[0];
    if (!first) continue;
    const texts = textsOf(kind, first.item);
    const { item: _item, ...hit } = first;
    best[kind] = { ...hit, names: nameFields(field, kind).flatMap((name) => texts[name] ?? []) };
  }
  return best;
}
